package io.poolbench.harness.mock;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.perf.PerfModel;
import java.util.Objects;

/**
 * One mock instance to start.
 *
 * @param pool the pool it belongs to ({@code short}, {@code long} ...)
 * @param indexInPool its index within the pool
 * @param modelName the served model name ({@code --served-model-name})
 * @param engine its scheduler settings and KV capacity
 * @param perf its step-time model
 * @param port the port to listen on, or 0 for any free one
 */
public record InstanceSpec(String pool, int indexInPool, String modelName, EngineConfig engine,
    PerfModel perf, int port) {

  public InstanceSpec {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(perf, "perf");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port (" + port + ") must be in 0..65535");
    }
  }

  /** KV capacity in tokens: blocks × block size. */
  public long kvTokens() {
    return (long) engine.numGpuBlocks() * engine.blockSize();
  }
}
