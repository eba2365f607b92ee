package io.poolbench.reports.model;

import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The side-by-side summary: one column per run, one row per figure. Text, CSV and HTML render
 * this same table; a null value means the run directory does not have the figure.
 *
 * @param columns the runs' display names, in report order
 * @param modes the runs' run modes (simulate, loadgen), in report order
 * @param rows the figures
 */
public record SummaryTable(List<String> columns, List<String> modes, List<Row> rows) {

  /** Which way a figure is better, so renderers can mark the best run. */
  public enum Better { LOWER, HIGHER, NONE }

  /**
   * One figure for every run.
   *
   * @param key stable machine name (CSV), e.g. {@code ttft_p99_ms}
   * @param group the section it belongs to
   * @param label the human name, e.g. {@code TTFT p99}
   * @param unit the unit, e.g. {@code ms}, or empty
   * @param kind how to format values
   * @param values one per column; null when missing
   */
  public record Row(String key, String group, String label, String unit, ValueKind kind,
      Better better, List<Double> values) {

    /**
     * The index of the best value, or -1 when no run stands out: fewer than two values, a
     * figure with no direction, or another run within 1% of the best (noise, not a difference).
     */
    public int best() {
      if (better == Better.NONE) {
        return -1;
      }
      int best = -1;
      int present = 0;
      for (int i = 0; i < values.size(); i++) {
        Double v = values.get(i);
        if (v == null || v.isNaN()) {
          continue;
        }
        present++;
        if (best < 0 || (better == Better.LOWER ? v < values.get(best) : v > values.get(best))) {
          best = i;
        }
      }
      if (present < 2) {
        return -1;
      }
      double b = values.get(best);
      for (int i = 0; i < values.size(); i++) {
        Double v = values.get(i);
        if (i != best && v != null && !v.isNaN()
            && Math.abs(v - b) <= 0.01 * Math.max(Math.abs(b), Math.abs(v))) {
          return -1;
        }
      }
      return best;
    }
  }

  /** Builds the table of {@code report}. */
  static SummaryTable of(Report report) {
    List<ModeRun> runs = report.runs();
    List<Row> rows = new ArrayList<>();
    Summary.Slo slo = Verdict.commonSlo(runs);
    String goodputSlo = slo == null ? "within each run's SLO" : Verdict.goodputSlo(slo);
    Builder b = new Builder(runs, rows);
    b.add("gpus", "Fleet", "GPUs", "", ValueKind.INTEGER, Better.LOWER,
        s -> s.gpus() == null ? null : s.gpus().doubleValue());
    sized(runs, rows);
    List<Double> dollars = new ArrayList<>();
    for (ModeRun r : runs) {
      Double price = report.gpuPrice(r);
      Integer gpus = r.run().summary().gpus();
      dollars.add(price == null || gpus == null ? null : gpus * price * Report.HOURS_PER_YEAR);
    }
    rows.add(new Row("dollars_per_year", "Fleet", "GPU cost", "$/year", ValueKind.MONEY,
        Better.LOWER, dollars));
    b.add("request_rate", "Throughput", "Request rate", "req/s", ValueKind.DECIMAL, Better.NONE,
        Summary::requestRate);
    b.add("goodput_rps", "Throughput", "Goodput " + goodputSlo, "req/s", ValueKind.DECIMAL,
        Better.HIGHER, Summary::goodputRps);
    b.add("goodput_per_gpu", "Throughput", "Goodput per GPU " + goodputSlo, "req/s",
        ValueKind.PRECISE, Better.HIGHER, Summary::goodputPerGpu);
    b.add("output_tokens_per_s_per_gpu", "Throughput", "Output tokens per GPU", "tok/s",
        ValueKind.DECIMAL, Better.HIGHER, Summary::outputTokensPerSPerGpu);
    for (LatencyMetric m : List.of(LatencyMetric.TTFT, LatencyMetric.TPOT, LatencyMetric.ITL,
        LatencyMetric.E2E)) {
      String name = m.tag().toUpperCase(java.util.Locale.ROOT);
      b.latency(m, name + " p50", "p50", LatencySummary::p50);
      b.latency(m, name + " p90", "p90", LatencySummary::p90);
      b.latency(m, name + " p99", "p99", LatencySummary::p99);
    }
    b.add("slo_met", "Reliability", slo == null ? "SLO met (P99 TTFT and TPOT, each run's SLO)"
        : "SLO met (" + Verdict.slo(slo) + ")", "", ValueKind.YES_NO, Better.HIGHER,
        SummaryTable::sloMet);
    if (slo == null) {
      b.add("slo_ttft_p99_ms", "Reliability", "SLO: P99 TTFT target", "ms", ValueKind.MILLIS,
          Better.NONE, s -> s.slo() == null ? null : s.slo().ttftMs());
      b.add("slo_tpot_p99_ms", "Reliability", "SLO: P99 TPOT target", "ms", ValueKind.MILLIS,
          Better.NONE, s -> s.slo() == null ? null : s.slo().tpotMs());
    }
    b.add("requests", "Reliability", "Requests", "", ValueKind.INTEGER, Better.NONE,
        s -> (double) s.requests().total());
    b.add("ok", "Reliability", "Completed OK", "", ValueKind.INTEGER, Better.HIGHER,
        s -> (double) s.requests().ok());
    b.add("rejected", "Reliability", "Rejections (context + overload)", "", ValueKind.INTEGER,
        Better.LOWER, s -> (double) (s.requests().rejectedContext()
            + s.requests().rejectedOverload()));
    b.add("engine_failures", "Reliability", "Engine failures", "", ValueKind.INTEGER,
        Better.LOWER, s -> (double) s.requests().engineFailure());
    b.add("timeouts", "Reliability", "Timeouts", "", ValueKind.INTEGER, Better.LOWER,
        s -> (double) s.requests().timeout());
    b.add("not_sent", "Reliability", "Not sent", "", ValueKind.INTEGER, Better.LOWER,
        s -> (double) s.requests().notSent());
    b.add("preemptions_per_1000", "Reliability", "Preemptions per 1,000", "", ValueKind.DECIMAL,
        Better.LOWER, Summary::preemptionsPer1000);
    b.add("engine_deaths", "Reliability", "Engine deaths", "", ValueKind.INTEGER, Better.LOWER,
        s -> s.engineDeaths() == null ? null : s.engineDeaths().doubleValue());
    b.add("prefix_cache_hit_rate", "Prefix cache", "Prompt tokens from the prefix cache", "",
        ValueKind.PERCENT, Better.HIGHER,
        s -> s.prefixCache() == null ? null : s.prefixCache().hitRate());
    b.add("prefill_tokens_saved", "Prefix cache", "Prefill tokens saved", "", ValueKind.INTEGER,
        Better.HIGHER,
        s -> s.prefixCache() == null ? null : (double) s.prefixCache().cachedTokens());
    b.add("misroutes", "Routing", "Misroutes", "", ValueKind.INTEGER, Better.LOWER,
        s -> (double) s.misroutes());
    b.add("spillovers", "Routing", "Spillovers", "", ValueKind.INTEGER, Better.NONE,
        s -> (double) s.spillovers());
    return new SummaryTable(runs.stream().map(ModeRun::name).toList(),
        runs.stream().map(ModeRun::mode).toList(), List.copyOf(rows));
  }

  /**
   * For runs sized for the SLO first (run.json config.gpus_needed): the GPUs each needed, and the
   * saving against the first sized one-pool run, 1 − GPUs ÷ its GPUs.
   */
  private static void sized(List<ModeRun> runs, List<Row> rows) {
    List<Double> needed = new ArrayList<>();
    Double single = null;
    for (ModeRun r : runs) {
      Integer n = r.run().facts().gpusNeeded();
      needed.add(n == null ? null : n.doubleValue());
      if (n != null && single == null && r.run().facts().poolNames().size() == 1) {
        single = n.doubleValue();
      }
    }
    if (needed.stream().allMatch(java.util.Objects::isNull)) {
      return;
    }
    rows.add(new Row("gpus_needed", "Fleet", "GPUs needed (sized for the SLO)", "",
        ValueKind.INTEGER, Better.LOWER, needed));
    if (single == null || single == 0) {
      return;
    }
    List<Double> saving = new ArrayList<>();
    for (Double n : needed) {
      saving.add(n == null ? null : 1 - n / single);
    }
    rows.add(new Row("gpu_saving", "Fleet", "GPU saving (1 − GPUs needed ÷ one pool's)", "",
        ValueKind.PERCENT, Better.HIGHER, saving));
  }

  private static Double sloMet(Summary s) {
    Boolean met = Verdict.sloMet(s);
    return met == null ? null : met ? 1.0 : 0.0;
  }

  private record Builder(List<ModeRun> runs, List<Row> rows) {
    void add(String key, String group, String label, String unit, ValueKind kind, Better better,
        Function<Summary, Double> value) {
      List<Double> values = new ArrayList<>();
      for (ModeRun r : runs) {
        values.add(value.apply(r.run().summary()));
      }
      rows.add(new Row(key, group, label, unit, kind, better, values));
    }

    void latency(LatencyMetric m, String label, String pct,
        Function<LatencySummary, Double> value) {
      add(m.tag() + "_" + pct + "_ms", "Latency", label, "ms", ValueKind.MILLIS, Better.LOWER,
          s -> {
            LatencySummary l = s.latency(m);
            return l == null || l.count() == 0 ? null : value.apply(l);
          });
    }
  }
}
