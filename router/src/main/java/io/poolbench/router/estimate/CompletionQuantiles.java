package io.poolbench.router.estimate;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Per-category quantile of observed {@code usage.completion_tokens}, from a log-bucketed histogram
 * (exact below 16, then 8 buckets per power of two: at most 12.5% above the true value, never
 * below it). The quantile is recomputed on update and cached, so reading it is one array load.
 */
final class CompletionQuantiles {

  private static final int EXACT = 16;
  private static final int SUB_BITS = 3;
  private static final int SUB = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 24; // values above 2^25 clamp into the last bucket
  static final int BUCKETS = EXACT + (MAX_EXPONENT - 4 + 1) * SUB;

  private final double quantile;
  private final AtomicReferenceArray<AtomicLongArray> histograms;
  private final AtomicLongArray counts;
  private final AtomicIntegerArray cached;

  CompletionQuantiles(int categories, double quantile) {
    this.quantile = quantile;
    this.histograms = new AtomicReferenceArray<>(categories);
    this.counts = new AtomicLongArray(categories);
    this.cached = new AtomicIntegerArray(categories);
  }

  /** Records one completion length for {@code category}. */
  void record(int category, int completionTokens) {
    AtomicLongArray h = histograms.get(category);
    if (h == null) {
      histograms.compareAndSet(category, null, new AtomicLongArray(BUCKETS));
      h = histograms.get(category);
    }
    h.incrementAndGet(bucket(Math.max(0, completionTokens)));
    long n = counts.incrementAndGet(category);
    // Recompute often while the shape is still forming, then every 16th sample.
    if (n <= 256 || (n & 15) == 0) {
      cached.set(category, quantileOf(h, n));
    }
  }

  /** Samples recorded for {@code category}. */
  long count(int category) {
    return counts.get(category);
  }

  /** The cached quantile (an upper bucket bound) for {@code category}; 0 before any sample. */
  int quantile(int category) {
    return cached.get(category);
  }

  private int quantileOf(AtomicLongArray h, long n) {
    long rank = Math.max(1, (long) Math.ceil(quantile * n));
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += h.get(b);
      if (seen >= rank) {
        return upperBound(b);
      }
    }
    return upperBound(BUCKETS - 1);
  }

  static int bucket(int value) {
    if (value < EXACT) {
      return value;
    }
    int exponent = 31 - Integer.numberOfLeadingZeros(value);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int sub = (value >>> (exponent - SUB_BITS)) & (SUB - 1);
    return EXACT + (exponent - 4) * SUB + sub;
  }

  static int upperBound(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    int exponent = 4 + (bucket - EXACT) / SUB;
    int sub = (bucket - EXACT) % SUB;
    long upper = ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
    return (int) Math.min(Integer.MAX_VALUE, upper);
  }
}
