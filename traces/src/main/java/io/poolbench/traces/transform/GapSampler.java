package io.poolbench.traces.transform;

import java.util.SplittableRandom;

/**
 * Draws inter-arrival gaps in seconds for a re-timing process from a seeded generator. Gamma
 * variates use Marsaglia and Tsang's method ("A simple method for generating gamma variables",
 * ACM TOMS 2000), with the U^(1/shape) boost for shapes below 1.
 */
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
      case POISSON -> -Math.log(1 - random.nextDouble()) * meanGapSeconds;
      // Gamma(shape = B, scale = 1 / (R * B)): mean 1 / R
      case GAMMA -> gamma(shape) * meanGapSeconds / shape;
    };
  }

  private double gamma(double k) {
    if (k < 1) {
      double u = random.nextDouble();
      return gamma(k + 1) * Math.pow(u == 0 ? Double.MIN_VALUE : u, 1 / k);
    }
    double d = k - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
