package io.poolbench.traces.stats;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Accumulates {@link TraceStats} over a stream of requests in arrival order, in memory bounded by
 * the longest token length (not by the number of rows).
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
        TokenSummary.of(total), fractions);
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
