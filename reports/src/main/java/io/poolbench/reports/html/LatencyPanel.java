package io.poolbench.reports.html;

import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Overlaid latency CDFs, one chart per metric: from latency.hlog's histograms merged over all
 * intervals, or, for a run without latency.hlog, from summary.json's percentiles (drawn as
 * markers joined by steps, and labelled so).
 */
final class LatencyPanel implements Panel {
  /** Cumulative fractions at which a CDF from a histogram is sampled. */
  static final double[] FRACTIONS = fractions();

  private static double[] fractions() {
    List<Double> f = new ArrayList<>();
    for (int i = 0; i <= 90; i += 2) {
      f.add(i / 100.0);
    }
    for (double p : new double[] {0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.985, 0.99, 0.993, 0.995,
        0.997, 0.999, 0.9995, 0.9999, 1.0}) {
      f.add(p);
    }
    return f.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public String id() {
    return "latency";
  }

  @Override
  public String title() {
    return "Latency distributions";
  }

  @Override
  public String html(Report report) {
    StringBuilder sb = new StringBuilder("<div class=\"charts\">");
    List<String> fromSummary = new ArrayList<>();
    for (LatencyMetric m : LatencyMetric.values()) {
      LineChart chart = new LineChart(name(m) + " CDF", name(m) + " (ms)", "fraction of requests")
          .logX().yRange(0, 1);
      for (ModeRun r : report.runs()) {
        LineChart.Series s = cdf(r, m, r.name(), 0);
        if (s != null) {
          chart.add(s);
          if (s.steps() && !fromSummary.contains(r.name())) {
            fromSummary.add(r.name());
          }
        }
      }
      if (!chart.isEmpty()) {
        sb.append(chart.html());
      }
    }
    sb.append("</div>");
    if (!fromSummary.isEmpty()) {
      sb.append(Panel.missing("No latency.hlog in " + String.join(", ", fromSummary)
          + ": their curves join the summary.json percentiles (p50, p90, p99, p99.9, max) "
          + "with steps, so they are coarse."));
    }
    sb.append("<p class=\"note\">TTFT and E2E are measured from the planned arrival; TPOT is "
        + "(E2E − TTFT) / (output tokens − 1) per request; ITL is every gap between tokens; "
        + "queue is arrival to first scheduling. The x axis is logarithmic.</p>");
    return sb.toString();
  }

  static String name(LatencyMetric m) {
    return m == LatencyMetric.QUEUE ? "Queue time" : m.tag().toUpperCase(Locale.ROOT);
  }

  /** The CDF of {@code m} in run {@code r}, or null when the run has no data for it. */
  static LineChart.Series cdf(ModeRun r, LatencyMetric m, String name, int dash) {
    Histogram h = r.run().latency() == null ? null : r.run().latency().histogram(m);
    if (h != null) {
      double[] xs = new double[FRACTIONS.length + 1];
      double[] ys = new double[FRACTIONS.length + 1];
      xs[0] = h.getMinValue() / 1000.0;
      ys[0] = 0;
      for (int i = 0; i < FRACTIONS.length; i++) {
        xs[i + 1] = h.getValueAtPercentile(FRACTIONS[i] * 100) / 1000.0;
        ys[i + 1] = FRACTIONS[i];
      }
      return new LineChart.Series(name, r.index(), dash, xs, ys, false);
    }
    LatencySummary l = r.run().summary().latency(m);
    if (l == null || l.count() == 0) {
      return null;
    }
    return new LineChart.Series(name + " (percentiles)", r.index(), dash,
        new double[] {l.p50(), l.p90(), l.p99(), l.p999(), l.max()},
        new double[] {0.5, 0.9, 0.99, 0.999, 1.0}, true);
  }
}
