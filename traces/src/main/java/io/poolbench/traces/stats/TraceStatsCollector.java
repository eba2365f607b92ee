package io.poolbench.traces.stats;

import io.poolbench.traces.PrefixIds;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Accumulates {@link TraceStats} over a stream of requests in arrival order, in memory bounded by
 * the longest token length (not by the number of rows), plus 16 bytes or so per distinct prefix
 * hash id for traces that carry them.
 */
public final class TraceStatsCollector implements Consumer<TraceRequest> {
  private static final long SECOND_NANOS = 1_000_000_000L;
  private static final long MINUTE_NANOS = 60 * SECOND_NANOS;

  private final TokenHistogram prompt = new TokenHistogram();
  private final TokenHistogram output = new TokenHistogram();
  private final TokenHistogram total = new TokenHistogram();
  private final Window second = new Window(SECOND_NANOS);
  private final Window minute = new Window(MINUTE_NANOS);
  private long rows;
  private long first;
  private long last;
  // Welford's running mean and sum of squared deviations of the gaps, in seconds
  private long gaps;
  private double gapMean;
  private double gapM2;
  // prefix reuse: the hash ids seen so far (open addressing; 0 marks an empty slot, so id 0 is
  // tracked apart) and the counts overall and per category
  private long[] seen = new long[1024];
  private int seenSize;
  private boolean seenZero;
  private final long[] reuse = new long[3];
  private final Map<String, long[]> reuseByCategory = new HashMap<>();

  /** Reads a whole source and summarises it. */
  public static TraceStats of(TraceSource source, List<Integer> thresholds) {
    TraceStatsCollector collector = new TraceStatsCollector();
    try (Stream<TraceRequest> requests = source.open()) {
      requests.forEach(collector);
    }
    return collector.stats(source.skippedRows(), thresholds);
  }

  @Override
  public void accept(TraceRequest request) {
    long t = request.arrivalNanos();
    if (rows == 0) {
      first = t;
    } else {
      if (t < last) {
        throw new IllegalArgumentException(request.location() + ": arrival " + t
            + " ns precedes the previous arrival " + last + " ns; stats need arrival order");
      }
      double gap = (t - last) / 1e9;
      gaps++;
      double delta = gap - gapMean;
      gapMean += delta / gaps;
      gapM2 += delta * (gap - gapMean);
    }
    last = t;
    rows++;
    second.add(t - first);
    minute.add(t - first);
    prompt.record(request.promptTokens());
    output.record(request.outputTokens());
    total.record(request.totalTokens());
    long[] ids = request.prefixHashes();
    if (ids != null && ids.length > 0) {
      String category = request.category() == null ? "" : request.category();
      long[] cat = reuseByCategory.computeIfAbsent(category, k -> new long[3]);
      int reused = 0;
      for (long id : ids) {
        if (!add(id)) {
          reused++;
        }
      }
      for (long[] c : new long[][] {reuse, cat}) {
        c[0]++;
        c[1] += ids.length;
        c[2] += reused;
      }
    }
  }

  /** Adds {@code id} to the seen set; false when it was there already. */
  private boolean add(long id) {
    if (id == 0) {
      boolean fresh = !seenZero;
      seenZero = true;
      return fresh;
    }
    int mask = seen.length - 1;
    int i = (int) (PrefixIds.mix(id) & mask);
    while (seen[i] != 0) {
      if (seen[i] == id) {
        return false;
      }
      i = (i + 1) & mask;
    }
    seen[i] = id;
    if (++seenSize * 2 > seen.length) {
      long[] old = seen;
      seen = new long[old.length * 2];
      int m = seen.length - 1;
      for (long v : old) {
        if (v != 0) {
          int j = (int) (PrefixIds.mix(v) & m);
          while (seen[j] != 0) {
            j = (j + 1) & m;
          }
          seen[j] = v;
        }
      }
    }
    return true;
  }

  /** The statistics so far. */
  public TraceStats stats(long skippedRows, List<Integer> thresholds) {
    double span = rows == 0 ? 0 : (last - first) / 1e9;
    double cv = gaps < 1 || gapMean == 0 ? Double.NaN : Math.sqrt(gapM2 / gaps) / gapMean;
    SortedMap<Integer, Double> fractions = new TreeMap<>();
    for (int threshold : thresholds) {
      fractions.put(threshold, rows == 0 ? Double.NaN
          : (double) total.countAtMost(threshold) / rows);
    }
    return new TraceStats(rows, skippedRows, span, span > 0 ? rows / span : Double.NaN,
        second.peak(), minute.peak(), cv, TokenSummary.of(prompt), TokenSummary.of(output),
        TokenSummary.of(total), fractions,
        reuse[0] == 0 ? null : new TraceStats.PrefixReuse(reuse[0], reuse[1], reuse[2]),
        byCategory());
  }

  private SortedMap<String, TraceStats.PrefixReuse> byCategory() {
    SortedMap<String, TraceStats.PrefixReuse> m = new TreeMap<>();
    reuseByCategory.forEach((k, c) -> m.put(k.isEmpty() ? "default" : k,
        new TraceStats.PrefixReuse(c[0], c[1], c[2])));
    return m;
  }

  /** Counts arrivals per aligned window; arrivals come in order, so one counter suffices. */
  private static final class Window {
    private final long widthNanos;
    private long index = -1;
    private long count;
    private long peak;

    Window(long widthNanos) {
      this.widthNanos = widthNanos;
    }

    void add(long offsetNanos) {
      long k = offsetNanos / widthNanos;
      if (k != index) {
        index = k;
        count = 0;
      }
      count++;
      peak = Math.max(peak, count);
    }

    long peak() {
      return peak;
    }
  }
}
