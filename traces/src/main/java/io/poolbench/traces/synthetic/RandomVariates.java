package io.poolbench.traces.synthetic;

import java.util.SplittableRandom;

/** Random variates the workloads need: exponential and gamma (any shape), from a seeded source. */
public final class RandomVariates {

  private RandomVariates() {}

  /** Exponential with the given mean. */
  public static double exponential(SplittableRandom random, double mean) {
    return -mean * Math.log1p(-random.nextDouble());
  }

  /** Standard normal (Marsaglia polar method). */
  public static double normal(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  /**
   * Gamma with the given shape and scale (mean = shape × scale), by Marsaglia and Tsang's method
   * ("A simple method for generating gamma variables", ACM TOMS 2000); shapes below 1 use the
   * boost {@code G(a) = G(a + 1) · U^(1/a)}.
   */
  public static double gamma(SplittableRandom random, double shape, double scale) {
    if (!(shape > 0) || !(scale > 0)) {
      throw new IllegalArgumentException("gamma shape and scale must be > 0");
    }
    if (shape < 1) {
      double u = random.nextDouble();
      return gamma(random, shape + 1, scale) * Math.pow(u == 0 ? Double.MIN_VALUE : u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal(random);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v * scale;
      }
    }
  }
}
