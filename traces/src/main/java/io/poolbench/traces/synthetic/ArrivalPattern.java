package io.poolbench.traces.synthetic;

import java.util.SplittableRandom;

/**
 * Generates arrival times for a synthetic workload. Instances are stateful and single-use: make a
 * fresh one for each pass over a workload.
 */
sealed interface ArrivalPattern permits ArrivalPattern.Poisson, ArrivalPattern.OnOff {

  /** The next arrival time in seconds from the start, strictly after the previous one. */
  double next(SplittableRandom random);

  /** A Poisson process: exponential gaps at a constant mean rate. */
  final class Poisson implements ArrivalPattern {
    private final double meanGapSeconds;
    private double now;

    Poisson(double ratePerSecond) {
      this.meanGapSeconds = 1 / ratePerSecond;
    }

    @Override
    public double next(SplittableRandom random) {
      now += RandomVariates.exponential(random, meanGapSeconds);
      return now;
    }
  }

  /**
   * An on/off (interrupted renewal) process: bursts of exponentially distributed length with
   * gamma-distributed gaps inside them, separated by exponentially distributed silences. The rate
   * inside a burst is set so that the long-run mean rate is the requested one.
   */
  final class OnOff implements ArrivalPattern {
    private final double meanOnSeconds;
    private final double meanOffSeconds;
    private final double gapShape;
    private final double gapScale;
    private double now;
    private double burstEnd = -1;

    OnOff(double ratePerSecond, double meanOnSeconds, double meanOffSeconds, double burstGapCv) {
      this.meanOnSeconds = meanOnSeconds;
      this.meanOffSeconds = meanOffSeconds;
      double onFraction = meanOnSeconds / (meanOnSeconds + meanOffSeconds);
      double rateInBurst = ratePerSecond / onFraction;
      this.gapShape = 1 / (burstGapCv * burstGapCv);
      this.gapScale = 1 / (rateInBurst * gapShape);
    }

    @Override
    public double next(SplittableRandom random) {
      if (burstEnd < 0) {
        // the trace starts inside a burst, as the real one does (its first minute has arrivals)
        burstEnd = RandomVariates.exponential(random, meanOnSeconds);
        now = 0;
        return now;
      }
      double candidate = now + RandomVariates.gamma(random, gapShape, gapScale);
      if (candidate <= burstEnd) {
        now = candidate;
        return now;
      }
      // the burst ended: stay silent, then start the next burst with an arrival
      now = burstEnd + RandomVariates.exponential(random, meanOffSeconds);
      burstEnd = now + RandomVariates.exponential(random, meanOnSeconds);
      return now;
    }
  }
}
