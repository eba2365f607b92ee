package io.poolbench.reports.model;

import io.poolbench.reports.rundir.LatencyMetric;
import java.io.File;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * latency.hlog read back: per metric, the histogram merged over all intervals (for CDFs) and one
 * point per interval (for time series). Values are microseconds in the file, milliseconds here.
 *
 * @param merged per metric, every interval added together (microseconds)
 * @param intervals per metric, the intervals in file order
 */
public record LatencyLog(Map<LatencyMetric, Histogram> merged,
    Map<LatencyMetric, List<Interval>> intervals) {

  /**
   * One interval of one metric.
   *
   * @param startS seconds from the run start
   * @param lengthS interval length in seconds
   * @param count values recorded in the interval
   * @param p50Ms median in milliseconds (TTFT and E2E only; NaN for other metrics)
   * @param p99Ms 99th percentile in milliseconds (TTFT and E2E only; NaN for other metrics)
   */
  public record Interval(double startS, double lengthS, long count, double p50Ms, double p99Ms) {}

  /** Reads {@code file}; tags that are not a {@link LatencyMetric} are skipped. */
  public static LatencyLog read(Path file) {
    Map<LatencyMetric, Histogram> merged = new EnumMap<>(LatencyMetric.class);
    Map<LatencyMetric, List<Interval>> intervals = new EnumMap<>(LatencyMetric.class);
    HistogramLogReader reader;
    File f = file.toFile();
    try {
      reader = new HistogramLogReader(f);
    } catch (FileNotFoundException e) {
      throw new RunLoadException("Could not find file: " + file, e);
    }
    // one interval at a time: a decoded histogram is ~270 KB, so never keep them all
    try {
      for (EncodableHistogram e = reader.nextIntervalHistogram(); e != null;
          e = reader.nextIntervalHistogram()) {
        if (!(e instanceof Histogram h)) {
          continue;
        }
        LatencyMetric m = metric(h.getTag());
        if (m == null) {
          continue;
        }
        merged.computeIfAbsent(m, k -> {
          Histogram n = new Histogram(LatencyMetric.SIGNIFICANT_DIGITS);
          n.setAutoResize(true);
          return n;
        }).add(h);
        // the header (read before the first interval) gives the base of the timestamps
        double start = h.getStartTimeStamp() / 1000.0 - reader.getStartTimeSec();
        double length = (h.getEndTimeStamp() - h.getStartTimeStamp()) / 1000.0;
        // percentile walks cost a pass over ~34K buckets each: only TTFT's are drawn
        boolean pct = m == LatencyMetric.TTFT || m == LatencyMetric.E2E;
        intervals.computeIfAbsent(m, k -> new ArrayList<>()).add(new Interval(start, length,
            h.getTotalCount(), pct ? h.getValueAtPercentile(50) / 1000.0 : Double.NaN,
            pct ? h.getValueAtPercentile(99) / 1000.0 : Double.NaN));
      }
    } catch (RuntimeException e) {
      throw new RunLoadException(file + ": not a readable HdrHistogram log (" + e + ")", e);
    } finally {
      reader.close();
    }
    return new LatencyLog(merged, intervals);
  }

  private static LatencyMetric metric(String tag) {
    for (LatencyMetric m : LatencyMetric.values()) {
      if (m.tag().equals(tag)) {
        return m;
      }
    }
    return null;
  }

  /** The merged histogram of {@code metric}, or null when the log has none. */
  public Histogram histogram(LatencyMetric metric) {
    Histogram h = merged.get(metric);
    return h == null || h.getTotalCount() == 0 ? null : h;
  }

  /** The intervals of {@code metric} (empty when none). */
  public List<Interval> intervals(LatencyMetric metric) {
    return intervals.getOrDefault(metric, List.of());
  }
}
