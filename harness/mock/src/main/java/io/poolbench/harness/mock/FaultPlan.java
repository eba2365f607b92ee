package io.poolbench.harness.mock;

/**
 * Faults injected into every instance from the start (the admin endpoint injects more later).
 *
 * @param mtbfNanos mean wall time between injected engine deaths per instance (exponential), or 0
 * @param slowdown step durations are multiplied by this (1 = the model's speed)
 * @param dropProbability chance that a stream's connection is cut at a random token
 * @param errorFraction fraction of generation requests answered with {@code errorStatus}
 * @param errorStatus 500 or 503
 */
public record FaultPlan(long mtbfNanos, double slowdown, double dropProbability,
    double errorFraction, int errorStatus) {

  /** No faults. */
  public static final FaultPlan NONE = new FaultPlan(0, 1.0, 0, 0, 503);

  public FaultPlan {
    if (mtbfNanos < 0) {
      throw new IllegalArgumentException("mtbf (" + mtbfNanos + " ns) must be >= 0");
    }
    if (!(slowdown > 0)) {
      throw new IllegalArgumentException("slowdown (" + slowdown + ") must be > 0");
    }
    if (!(dropProbability >= 0 && dropProbability <= 1)) {
      throw new IllegalArgumentException("drop-probability (" + dropProbability
          + ") must be in [0, 1]");
    }
    if (!(errorFraction >= 0 && errorFraction <= 1)) {
      throw new IllegalArgumentException("error-fraction (" + errorFraction
          + ") must be in [0, 1]");
    }
    if (errorStatus != 500 && errorStatus != 503) {
      throw new IllegalArgumentException("error-status (" + errorStatus + ") must be 500 or 503");
    }
  }
}
