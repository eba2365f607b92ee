package io.poolbench.harness.cli;

import io.poolbench.reports.model.ValueKind;
import io.poolbench.reports.model.Verdict;
import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.Summary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Prints a run's summary.json as the console table that ends a run. */
final class SummaryTable {

  private SummaryTable() {}

  /** Where a summary's preemption count comes from, for the line that prints it. */
  enum PreemptionSource {
    /** The engines' own counter, read by the load generator (null: not read). */
    ENGINE_METRICS("from the engines' vllm:num_preemptions_total",
        "unknown: engine metrics not read; see --scrape-metrics"),
    /** The simulator's engine model. */
    ENGINE_MODEL("from the engine model", "unknown");

    final String known;
    final String unknown;

    PreemptionSource(String known, String unknown) {
      this.known = known;
      this.unknown = unknown;
    }
  }

  /**
   * Prints outcomes, the chosen latency metrics at the chosen percentiles, throughput per GPU,
   * preemptions, routing counters and the per-pool lines: the one console table for live,
   * merged and simulated runs.
   */
  static void print(PrintWriter out, Summary s, List<LatencyMetric> metrics, List<Double> percentiles,
      PreemptionSource preemptions) {
    print(out, s, metrics, percentiles, preemptions, Map.of());
  }

  /**
   * As {@link #print(PrintWriter, Summary, List, List, PreemptionSource)}, taking percentiles
   * that summary.json does not keep (e.g. 95, 99.5) from {@code totals}, the run's whole
   * histograms in microseconds (see {@code HlogTotals}).
   */
  static void print(PrintWriter out, Summary s, List<LatencyMetric> metrics, List<Double> percentiles,
      PreemptionSource preemptions, Map<LatencyMetric, Histogram> totals) {
    var r = s.requests();
    out.printf(Locale.US, "requests: %,d total, %,d ok, %,d rejected_context, %,d rejected_overload, "
        + "%,d engine_failure, %,d timeout, %,d client_error, %,d transport_error, %,d not_sent%n",
        r.total(), r.ok(), r.rejectedContext(), r.rejectedOverload(), r.engineFailure(), r.timeout(),
        r.clientError(), r.transportError(), r.notSent());
    StringBuilder header = new StringBuilder(String.format(Locale.US, "%-8s %10s", "ms", "mean"));
    for (double p : percentiles) {
      header.append(String.format(Locale.US, " %10s", "p" + format(p)));
    }
    out.println(header);
    for (LatencyMetric m : metrics) {
      LatencySummary l = s.latency(m);
      if (l == null || l.count() == 0) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format(Locale.US, "%-8s %10.1f", m.tag(), l.mean()));
      for (double p : percentiles) {
        Histogram h = totals.get(m);
        double value = LatencySummary.PERCENTILES.contains(p) || h == null ? l.at(p)
            : h.getValueAtPercentile(p) / 1000.0;
        line.append(String.format(Locale.US, " %10.1f", value));
      }
      out.println(line);
    }
    out.printf(Locale.US, "rate %.2f req/s; goodput %.2f req/s%s; output %.1f tokens/s",
        s.requestRate(), s.goodputRps(), s.slo() == null ? "" : " " + Verdict.goodputSlo(s.slo()),
        s.outputTokensPerS());
    if (s.gpus() != null && s.gpus() > 0) {
      out.printf(Locale.US, "; %d GPUs: goodput %.4f req/s per GPU, %.1f output tokens/s per GPU",
          s.gpus(), s.goodputPerGpu(), s.outputTokensPerSPerGpu());
    }
    out.println();
    verdict(out, s);
    out.println(s.preemptions() == null
        ? "preemptions: — (" + preemptions.unknown + ")"
        : String.format(Locale.US, "preemptions: %,d (%.2f per 1,000 requests, %s)",
            s.preemptions(), s.preemptionsPer1000(), preemptions.known));
    out.printf(Locale.US, "misroutes %,d; spillovers %,d%s%n", s.misroutes(), s.spillovers(),
        s.engineDeaths() == null || s.engineDeathsPerHour() == null ? ""
            : String.format(Locale.US, "; engine deaths %,d (%.2f per hour)", s.engineDeaths(),
                s.engineDeathsPerHour()));
    if (s.pools() != null) {
      s.pools().forEach((name, p) -> out.printf(Locale.US,
          "  pool %-16s %s%,8d requests, %,8d ok, ttft p99 %9.1f ms, e2e p99 %9.1f ms, "
              + "preemptions %s%n", name,
          p.instances() != null && p.instances() > 0 && p.gpus() != null
              ? String.format(Locale.US, "%4d instances %5d GPUs: ", p.instances(), p.gpus()) : "",
          p.requests().total(), p.requests().ok(), p.ttftMs().p99(), p.e2eMs().p99(),
          p.preemptionsPer1000() == null ? "—"
              : String.format(Locale.US, "%.2f per 1,000", p.preemptionsPer1000())));
    }
  }

  /**
   * The run's verdict line, as the report states it: {@code verdict: meets P99 TTFT 2 s / TPOT
   * 80 ms (TTFT p99 1,607 ms, TPOT p99 17.14 ms)}, or {@code misses}.
   */
  static void verdict(PrintWriter out, Summary s) {
    Boolean met = Verdict.sloMet(s);
    if (met == null) {
      return;
    }
    out.println("verdict: " + (met ? "meets " : "misses ") + Verdict.slo(s.slo()) + " (TTFT p99 "
        + ValueKind.MILLIS.format(s.ttftMs().p99()) + " ms, TPOT p99 "
        + ValueKind.MILLIS.format(s.tpotMs().p99()) + " ms)");
  }

  private static String format(double p) {
    return p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p);
  }
}
