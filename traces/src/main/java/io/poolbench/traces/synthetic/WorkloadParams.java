package io.poolbench.traces.synthetic;

import java.time.Duration;

/**
 * Parameters of a built-in workload.
 *
 * @param ratePerSecond mean arrival rate in requests per second (> 0)
 * @param duration length of the generated trace (> 0)
 * @param seed seed of every random choice; the same seed gives the same trace
 * @param longShare share of requests in {@code long-mix} whose total needs 8K–64K tokens (0..1)
 */
public record WorkloadParams(double ratePerSecond, Duration duration, long seed, double longShare) {

  /** Default seed of every built-in workload. */
  public static final long DEFAULT_SEED = 42;

  public WorkloadParams {
    if (!(ratePerSecond > 0) || !Double.isFinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate (" + ratePerSecond + ") must be > 0 req/s");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration (" + duration + ") must be > 0");
    }
    if (!(longShare >= 0 && longShare <= 1)) {
      throw new IllegalArgumentException("long-share (" + longShare + ") must be in [0, 1]");
    }
  }
}
