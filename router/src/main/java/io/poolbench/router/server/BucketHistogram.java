package io.poolbench.router.server;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A thread-safe fixed-bucket histogram of seconds, shaped for Prometheus exposition. */
public final class BucketHistogram {

  private final double[] upperBounds;
  private final LongAdder[] counts;
  private final DoubleAdder sum = new DoubleAdder();

  /** Buckets with the given finite upper bounds (ascending) plus +Inf. */
  public BucketHistogram(double... upperBounds) {
    this.upperBounds = upperBounds.clone();
    this.counts = new LongAdder[upperBounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Records one observation of {@code nanos}. */
  public void recordNanos(long nanos) {
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < upperBounds.length && seconds > upperBounds[i]) {
      i++;
    }
    counts[i].increment();
    sum.add(seconds);
  }

  public double[] upperBounds() {
    return upperBounds.clone();
  }

  /** Per-bucket (non-cumulative) counts; the last is +Inf. */
  public long[] counts() {
    long[] out = new long[counts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = counts[i].sum();
    }
    return out;
  }

  public double sumSeconds() {
    return sum.sum();
  }
}
