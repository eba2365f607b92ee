package io.poolbench.loadgen.metrics;

import java.net.URI;
import java.util.Objects;

/**
 * One engine whose {@code /metrics} the load generator reads.
 *
 * @param pool the pool the engine serves (a pool name of the run)
 * @param base the engine's base URL ({@code http://host:port}); metrics are read from
 *     {@code base/metrics}
 */
public record EngineEndpoint(String pool, URI base) {

  public EngineEndpoint {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(base, "base");
  }

  /** The metrics URL. */
  public URI metricsUri() {
    String path = base.getPath() == null ? "" : base.getPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return base.resolve(path + "/metrics");
  }
}
