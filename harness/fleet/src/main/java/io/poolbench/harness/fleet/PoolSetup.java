package io.poolbench.harness.fleet;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.perf.PerfModel;
import java.util.Map;

/**
 * One resolved pool: identical instances, each one engine model.
 *
 * @param name pool name ({@code short}, {@code long}, {@code homogeneous} ...)
 * @param instances engine instances in the pool
 * @param gpusPerInstance GPUs billed per instance (normally the tensor-parallel size)
 * @param engine every instance's scheduler settings and KV capacity
 * @param perf every instance's step-time model
 * @param gpu GPU catalog name
 * @param dollarsPerGpuHour GPU price
 * @param settings engine settings for run.json
 */
public record PoolSetup(String name, int instances, int gpusPerInstance, EngineConfig engine,
    PerfModel perf, String gpu, double dollarsPerGpuHour, Map<String, Object> settings) {

  public PoolSetup {
    if (instances < 0) {
      throw new IllegalArgumentException("pool '" + name + "' instances (" + instances
          + ") must be >= 0");
    }
  }

  /** GPUs of the pool. */
  public int gpus() {
    return instances * gpusPerInstance;
  }

  /** Requests the pool serves at once: instances × max_num_seqs (the pressure denominator). */
  public int capacity() {
    return Math.max(1, instances * engine.maxNumSeqs());
  }

  public PoolSetup withInstances(int n) {
    return new PoolSetup(name, n, gpusPerInstance, engine, perf, gpu, dollarsPerGpuHour,
        settings);
  }
}
