package io.poolbench.reports.rundir;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * The whole-run histogram of each latency metric, summed over the intervals of a run's
 * latency.hlog (microseconds): for percentiles that summary.json does not keep, e.g. p95 or
 * p99.5.
 */
public final class HlogTotals {

  private HlogTotals() {}

  /** Sums every interval of {@code hlog} per metric tag; metrics without values are absent. */
  public static Map<LatencyMetric, Histogram> read(Path hlog) {
    Map<LatencyMetric, Histogram> totals = new EnumMap<>(LatencyMetric.class);
    if (!Files.exists(hlog)) {
      return totals;
    }
    try (FileInputStream in = new FileInputStream(hlog.toFile())) {
      HistogramLogReader reader = new HistogramLogReader(in);
      for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null;
          h = reader.nextIntervalHistogram()) {
        if (!(h instanceof Histogram micros)) {
          continue;
        }
        for (LatencyMetric m : LatencyMetric.values()) {
          if (m.tag().equals(micros.getTag())) {
            totals.computeIfAbsent(m, k -> k.newHistogram()).add(micros);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + hlog, e);
    }
    return totals;
  }
}
