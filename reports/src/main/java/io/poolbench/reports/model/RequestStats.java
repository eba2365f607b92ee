package io.poolbench.reports.model;

import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RequestRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the report needs from requests.csv.gz, aggregated while streaming it once (memory is
 * bounded by the number of time bins, pools and categories, never by the number of rows): per
 * time bin the arrivals per pool, the ends and the completions; per category the arrivals per
 * pool; and the distribution of each request's token budget (prompt + max_tokens).
 */
public final class RequestStats {
  /** Categories beyond this many are counted under {@link #OTHER}. */
  static final int MAX_CATEGORIES = 40;
  /** Pools beyond this many (names not in run.json) are counted under {@link #OTHER}. */
  static final int MAX_POOLS = 16;
  /** The bucket for overflowing categories or pools. */
  public static final String OTHER = "(other)";
  /** The pool name of requests that were never routed. */
  public static final String UNROUTED = "(unrouted)";

  private final double binS;
  private final List<String> pools = new ArrayList<>();
  private final List<long[]> arrivalsByPool = new ArrayList<>();
  private long[] ends = new long[16];
  private long[] oks = new long[16];
  private long[] outputTokens = new long[16];
  private long[] cachedTokens = new long[16];
  private long[] cacheablePrompt = new long[16];
  private boolean anyCached;
  private int bins;
  private final Map<String, long[]> categoryPools = new LinkedHashMap<>();
  // 4 digits: exact up to 16,383 tokens, so an 8K or 16K budget splits requests exactly
  private final Histogram budgetTokens = new Histogram(4);
  private long rows;

  RequestStats(double binS, List<String> fleetPools) {
    this.binS = binS;
    budgetTokens.setAutoResize(true);
    for (String p : fleetPools) {
      poolIndex(p);
    }
  }

  /** Streams {@code file} into bins of {@code binS} seconds. */
  public static RequestStats read(Path file, double binS, List<String> fleetPools) {
    RequestStats s = new RequestStats(binS, fleetPools);
    try {
      RequestLogScanner.scan(file, s::add);
    } catch (java.io.IOException | RuntimeException e) {
      throw new RunLoadException(file + ": " + e.getMessage(), e);
    }
    return s;
  }

  void add(RequestRow r) {
    rows++;
    int bin = bin(r.arrivalMs());
    int pool = poolIndex(r.pool().isEmpty() ? UNROUTED : r.pool());
    arrivalsByPool.get(pool)[bin]++;
    double endMs = r.arrivalMs() + Math.max(0, Math.max(r.e2eMs(), Math.max(r.ttftMs(),
        r.queueMs())));
    int endBin = bin(endMs);
    ends[endBin]++;
    if (r.outcome() == OutcomeKind.OK) {
      oks[endBin]++;
      outputTokens[endBin] += r.generatedTokens();
    }
    if (r.cachedTokens() >= 0 && r.outcome() == OutcomeKind.OK) {
      // by arrival: the cache state a request met when it arrived
      cachedTokens[bin] += r.cachedTokens();
      cacheablePrompt[bin] += r.promptTokens();
      anyCached |= r.cachedTokens() > 0;
    }
    String cat = r.category().isEmpty() ? "default" : r.category();
    long[] byPool = categoryPools.get(cat);
    if (byPool == null) {
      cat = categoryPools.size() >= MAX_CATEGORIES ? OTHER : cat;
      byPool = categoryPools.computeIfAbsent(cat, k -> new long[MAX_POOLS + 1]);
    }
    byPool[pool]++;
    long budget = (long) r.promptTokens() + (r.maxTokens() >= 0 ? r.maxTokens()
        : r.outputTokens());
    budgetTokens.recordValue(Math.max(0, budget));
  }

  private int bin(double ms) {
    int b = (int) Math.max(0, Math.min(1_000_000, Math.floor(ms / 1000.0 / binS)));
    if (b >= bins) {
      bins = b + 1;
      if (bins > ends.length) {
        int cap = Math.max(bins, ends.length * 2);
        ends = Arrays.copyOf(ends, cap);
        oks = Arrays.copyOf(oks, cap);
        outputTokens = Arrays.copyOf(outputTokens, cap);
        cachedTokens = Arrays.copyOf(cachedTokens, cap);
        cacheablePrompt = Arrays.copyOf(cacheablePrompt, cap);
        arrivalsByPool.replaceAll(a -> Arrays.copyOf(a, cap));
      }
    }
    return b;
  }

  private int poolIndex(String name) {
    int i = pools.indexOf(name);
    if (i >= 0) {
      return i;
    }
    if (pools.size() >= MAX_POOLS) {
      i = pools.indexOf(OTHER);
      if (i >= 0) {
        return i;
      }
      name = OTHER;
    }
    pools.add(name);
    arrivalsByPool.add(new long[ends.length]);
    return pools.size() - 1;
  }

  /** Rows read. */
  public long rows() {
    return rows;
  }

  /** True when some request of the run found prompt tokens in its engine's prefix cache. */
  public boolean anyPrefixCacheHits() {
    return anyCached;
  }

  /**
   * Prefix-cache hit rate of the requests arriving in bin {@code bin}: their cached prompt
   * tokens over their prompt tokens (OK requests whose cached tokens are known), NaN without any.
   */
  public double prefixHitRate(int bin) {
    return cacheablePrompt[bin] == 0 ? Double.NaN
        : (double) cachedTokens[bin] / cacheablePrompt[bin];
  }

  /** Bin length in seconds. */
  public double binSeconds() {
    return binS;
  }

  /** Number of time bins (the last holds the latest arrival or end). */
  public int bins() {
    return bins;
  }

  /** Pool names seen, run.json's first; may include {@link #UNROUTED} and {@link #OTHER}. */
  public List<String> pools() {
    return List.copyOf(pools);
  }

  /** Arrivals in bin {@code bin} routed to pool index {@code pool}. */
  public long arrivals(int pool, int bin) {
    return arrivalsByPool.get(pool)[bin];
  }

  /** All arrivals in bin {@code bin}. */
  public long arrivals(int bin) {
    long n = 0;
    for (long[] a : arrivalsByPool) {
      n += a[bin];
    }
    return n;
  }

  /** Arrivals per pool over the whole run. */
  public long poolTotal(int pool) {
    long n = 0;
    for (int b = 0; b < bins; b++) {
      n += arrivalsByPool.get(pool)[b];
    }
    return n;
  }

  /** Requests that completed OK in bin {@code bin}. */
  public long completions(int bin) {
    return oks[bin];
  }

  /** Output tokens of the requests that completed OK in bin {@code bin}. */
  public long outputTokens(int bin) {
    return outputTokens[bin];
  }

  /** Requests in flight at the end of bin {@code bin}: arrived but not yet ended. */
  public long inFlightAtEnd(int bin) {
    long n = 0;
    for (int b = 0; b <= bin; b++) {
      n += arrivals(b) - ends[b];
    }
    return n;
  }

  /** Per category (sorted as first seen), arrivals per pool index. */
  public Map<String, long[]> categoryPools() {
    return categoryPools;
  }

  /** The fraction of requests whose prompt + max_tokens is at most {@code budget} tokens. */
  public double fractionWithin(long budget) {
    long total = budgetTokens.getTotalCount();
    return total == 0 ? Double.NaN
        : (double) budgetTokens.getCountBetweenValues(0, budget) / total;
  }
}
