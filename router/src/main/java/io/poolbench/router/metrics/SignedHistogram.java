package io.poolbench.router.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket histogram of signed values (the estimate error: estimated − actual prompt
 * tokens). Bucket upper bounds are 0 and ±2^k for k = 0…16, plus +∞, in the Prometheus
 * {@code le} sense; values are counted in the first bucket whose bound is ≥ the value.
 */
public final class SignedHistogram {

  private static final long[] BOUNDS = bounds();

  private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
  private final LongAdder sum = new LongAdder();

  private static long[] bounds() {
    long[] b = new long[17 * 2 + 1];
    int i = 0;
    for (int k = 16; k >= 0; k--) {
      b[i++] = -(1L << k);
    }
    b[i++] = 0;
    for (int k = 0; k <= 16; k++) {
      b[i++] = 1L << k;
    }
    return b;
  }

  /** Records one value; lock-free, allocation-free. */
  public void record(long value) {
    int lo = 0;
    int hi = BOUNDS.length;
    while (lo < hi) { // first bound >= value; BOUNDS.length means +Inf
      int mid = (lo + hi) >>> 1;
      if (BOUNDS[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    counts.incrementAndGet(lo);
    sum.add(value);
  }

  /** Upper bounds of the finite buckets, ascending (the last bucket, +∞, is implied). */
  public static long[] upperBounds() {
    return BOUNDS.clone();
  }

  /** Per-bucket (not cumulative) counts; the last entry is the +∞ bucket. */
  public long[] bucketCounts() {
    long[] out = new long[counts.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = counts.get(i);
    }
    return out;
  }

  /** Total number of recorded values. */
  public long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** Sum of recorded values. */
  public long sum() {
    return sum.sum();
  }
}
