package io.poolbench.traces.stats;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact counts of token lengths: a dense array for lengths below 4 Mi and a sorted map above, so
 * memory grows with the largest length seen (not with the number of rows) and percentiles are
 * exact.
 */
public final class TokenHistogram {
  private static final int DENSE_LIMIT = 1 << 22;

  private long[] counts = new long[1 << 12];
  private final TreeMap<Integer, Long> sparse = new TreeMap<>();
  private long total;
  private long sum;
  private int max = -1;
  private int min = Integer.MAX_VALUE;

  /** Records one length (≥ 0). */
  public void record(int tokens) {
    if (tokens < DENSE_LIMIT) {
      if (tokens >= counts.length) {
        counts = Arrays.copyOf(counts, Math.min(DENSE_LIMIT, Integer.highestOneBit(tokens) << 1));
      }
      counts[tokens]++;
    } else {
      sparse.merge(tokens, 1L, Long::sum);
    }
    total++;
    sum += tokens;
    max = Math.max(max, tokens);
    min = Math.min(min, tokens);
  }

  public long count() {
    return total;
  }

  public long sum() {
    return sum;
  }

  /** The largest length recorded, or -1 when empty. */
  public int max() {
    return max;
  }

  /** The smallest length recorded, or -1 when empty. */
  public int min() {
    return total == 0 ? -1 : min;
  }

  /** Mean length, NaN when empty. */
  public double mean() {
    return total == 0 ? Double.NaN : (double) sum / total;
  }

  /**
   * Nearest-rank percentile: the smallest recorded length whose rank is ≥ ceil(p/100 · n).
   *
   * @param percent in (0, 100]
   * @return the length, or -1 when empty
   */
  public int percentile(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent (" + percent + ") must be in (0, 100]");
    }
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(percent / 100.0 * total);
    rank = Math.max(1, Math.min(rank, total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return i;
      }
    }
    for (Map.Entry<Integer, Long> entry : sparse.entrySet()) {
      seen += entry.getValue();
      if (seen >= rank) {
        return entry.getKey();
      }
    }
    return max;
  }

  /** How many recorded lengths are ≤ {@code tokens}. */
  public long countAtMost(int tokens) {
    long seen = 0;
    int denseEnd = Math.min(counts.length - 1, tokens);
    for (int i = 0; i <= denseEnd; i++) {
      seen += counts[i];
    }
    for (long c : sparse.headMap(tokens, true).values()) {
      seen += c;
    }
    return seen;
  }
}
