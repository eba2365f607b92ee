package io.poolbench.traces.transform;

import io.poolbench.traces.synthetic.RandomVariates;
import java.util.SplittableRandom;

/** Draws inter-arrival gaps in seconds for a re-timing process from a seeded generator. */
final class GapSampler {
  private final ArrivalProcess process;
  private final double meanGapSeconds;
  private final double shape;
  private final SplittableRandom random;

  GapSampler(ArrivalProcess process, double meanGapSeconds, double shape, long seed) {
    this.process = process;
    this.meanGapSeconds = meanGapSeconds;
    this.shape = shape;
    this.random = new SplittableRandom(seed);
  }

  double next() {
    return switch (process) {
      case CONSTANT, TRACE -> meanGapSeconds;
      case POISSON -> RandomVariates.exponential(random, meanGapSeconds);
      // Gamma(shape = B, scale = 1 / (R * B)): mean 1 / R
      case GAMMA -> RandomVariates.gamma(random, shape, meanGapSeconds / shape);
    };
  }
}
