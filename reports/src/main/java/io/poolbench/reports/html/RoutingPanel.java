package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;
import static io.poolbench.reports.html.Html.fmt;

import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RequestStats;
import io.poolbench.reports.model.ValueKind;
import io.poolbench.reports.rundir.RoutingLog;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routing: the share of requests per pool, a per-pool and a per-category table for each run, and,
 * when the run directory has routing.json, the estimator's bytes-per-token ratio per category
 * over time and the histogram of prompt-token estimate errors.
 */
final class RoutingPanel implements Panel {
  @Override
  public String id() {
    return "routing";
  }

  @Override
  public String title() {
    return "Routing";
  }

  @Override
  public String html(Report report) {
    StringBuilder sb = new StringBuilder("<div class=\"charts\">");
    List<String> pools = new ArrayList<>();
    for (ModeRun r : report.runs()) {
      Map<String, Summary> p = r.run().summary().pools();
      if (p != null) {
        p.keySet().stream().filter(k -> !pools.contains(k)).forEach(pools::add);
      }
    }
    BarChart share = new BarChart("Share of requests per pool", pools, "pool",
        "share of requests (%)", v -> fmt("%.1f%%", v));
    for (ModeRun r : report.runs()) {
      Summary s = r.run().summary();
      double[] v = new double[pools.size()];
      for (int i = 0; i < v.length; i++) {
        Summary ps = s.pools() == null ? null : s.pools().get(pools.get(i));
        v[i] = ps == null || s.requests().total() == 0 ? Double.NaN
            : 100.0 * ps.requests().total() / s.requests().total();
      }
      share.add(new BarChart.Series(r.name(), r.index(), v));
    }
    sb.append(share.html());
    estimator(report, sb);
    sb.append("</div>");
    for (ModeRun r : report.runs()) {
      sb.append("<h3>").append(Panel.runName(r.index(), r.name())).append("</h3>");
      poolTable(r, sb);
      categoryTable(r, sb);
    }
    return sb.toString();
  }

  private static void estimator(Report report, StringBuilder sb) {
    LineChart ratios = new LineChart("Estimator bytes per token, per category",
        "time since start (s)", "routing ratio (bytes/token)").yFromData();
    Map<String, Integer> bucketIndex = new LinkedHashMap<>();
    List<ModeRun> withLog = new ArrayList<>();
    List<String> without = new ArrayList<>();
    for (ModeRun r : report.runs()) {
      RoutingLog log = r.run().routing();
      if (log == null) {
        without.add(r.name());
        continue;
      }
      withLog.add(r);
      Map<String, List<RoutingLog.RatioSample>> byCat = new LinkedHashMap<>();
      log.ratios().forEach(s -> byCat.computeIfAbsent(s.category(), k -> new ArrayList<>()).add(s));
      int dash = 0;
      for (var e : byCat.entrySet()) {
        double[] x = e.getValue().stream().mapToDouble(RoutingLog.RatioSample::timeS).toArray();
        double[] y = e.getValue().stream()
            .mapToDouble(RoutingLog.RatioSample::routingBytesPerToken).toArray();
        ratios.add(new LineChart.Series(r.name() + " · " + category(e.getKey()), r.index(),
            dash++, x, y, false));
      }
      if (log.promptError() != null) {
        long[] b = log.promptError().upperBounds();
        for (int i = 0; i <= b.length; i++) {
          bucketIndex.putIfAbsent(bucketLabel(b, i), bucketIndex.size());
        }
      }
    }
    if (!ratios.isEmpty()) {
      sb.append(ratios.html());
    }
    List<String> buckets = new ArrayList<>(bucketIndex.keySet());
    BarChart errors = new BarChart("Prompt-token estimate error (estimated − actual)", buckets,
        "error bucket upper bound (tokens)", "share of estimates (%)", v -> fmt("%.2f%%", v));
    boolean anyErrors = false;
    for (ModeRun r : withLog) {
      RoutingLog.ErrorHistogram h = r.run().routing().promptError();
      if (h == null) {
        continue;
      }
      long total = 0;
      for (long c : h.counts()) {
        total += c;
      }
      double[] v = new double[buckets.size()];
      java.util.Arrays.fill(v, Double.NaN);
      for (int i = 0; i < h.counts().length; i++) {
        v[bucketIndex.get(bucketLabel(h.upperBounds(), i))] =
            total == 0 ? 0 : 100.0 * h.counts()[i] / total;
      }
      errors.add(new BarChart.Series(r.name(), r.index(), v));
      anyErrors = true;
    }
    if (anyErrors) {
      sb.append(errors.html());
    }
    if (!without.isEmpty()) {
      sb.append("</div>").append(Panel.missing("No routing.json in " + String.join(", ", without)
          + ": the estimator's ratio over time and its estimate-error histogram are not "
          + "recorded there.")).append("<div class=\"charts\">");
    }
  }

  /**
   * The name of the estimator's default bucket, which every sample updates (the router's
   * {@code CategoryTable.DEFAULT_NAME}; reports do not depend on the router module).
   */
  static final String DEFAULT_BUCKET = "_default";

  /** A category as a legend shows it: the default bucket is "all requests". */
  static String category(String name) {
    return DEFAULT_BUCKET.equals(name) ? "all requests (default bucket)" : name;
  }

  static String bucketLabel(long[] bounds, int i) {
    return i < bounds.length ? "≤ " + tokens(bounds[i])
        : "> " + tokens(bounds[bounds.length - 1]);
  }

  /** 8192 → 8K, -65536 → -64K, 100 → 100. */
  static String tokens(long v) {
    return v != 0 && v % 1024 == 0 ? v / 1024 + "K" : Long.toString(v);
  }

  private static void poolTable(ModeRun r, StringBuilder sb) {
    Summary s = r.run().summary();
    if (s.pools() == null || s.pools().isEmpty()) {
      sb.append(Panel.missing("summary.json has no per-pool figures."));
      return;
    }
    sb.append("<div class=\"table-wrap\"><table class=\"num\"><thead><tr><th>pool</th>"
        + "<th>instances</th><th>GPUs</th><th>requests</th><th>share</th><th>misroutes</th>"
        + "<th>spillovers</th><th>TTFT p99 ms</th><th>TPOT p99 ms</th>"
        + "<th>preemptions /1,000</th><th>prefix-cache hits</th></tr></thead><tbody>");
    s.pools().forEach((name, p) -> sb.append("<tr><th>").append(esc(name)).append("</th>")
        .append(td(ValueKind.INTEGER, instances(r, name, p)))
        .append(td(ValueKind.INTEGER, p.gpus() == null ? null : (double) p.gpus()))
        .append(td(ValueKind.INTEGER, (double) p.requests().total()))
        .append(td(ValueKind.PERCENT, s.requests().total() == 0 ? null
            : (double) p.requests().total() / s.requests().total()))
        .append(td(ValueKind.INTEGER, (double) p.misroutes()))
        .append(td(ValueKind.INTEGER, (double) p.spillovers()))
        .append(td(ValueKind.MILLIS, p.ttftMs() == null ? null : p.ttftMs().p99()))
        .append(td(ValueKind.MILLIS, p.tpotMs() == null ? null : p.tpotMs().p99()))
        .append(td(ValueKind.DECIMAL, p.preemptionsPer1000()))
        .append(td(ValueKind.PERCENT, p.prefixCache() == null ? null
            : p.prefixCache().hitRate())).append("</tr>"));
    sb.append("</tbody></table></div>");
  }

  /**
   * summary.json's instances of a pool; where it has none (or 0, which live runs behind a
   * router used to write), run.json's when it knows them; else summary.json's figure or null.
   */
  private static Double instances(ModeRun r, String pool, Summary p) {
    if (p.instances() != null && p.instances() > 0) {
      return (double) p.instances();
    }
    if (r.run().info().fleet() != null) {
      for (RunInfo.Pool f : r.run().info().fleet()) {
        if (pool.equals(f.name()) && f.instances() > 0) {
          return (double) f.instances();
        }
      }
    }
    return p.instances() == null ? null : (double) p.instances();
  }

  private static void categoryTable(ModeRun r, StringBuilder sb) {
    Map<String, Summary> cats = r.run().summary().categories();
    if (cats == null || cats.isEmpty()) {
      sb.append(Panel.missing("summary.json has no per-category figures."));
      return;
    }
    RequestStats rs = r.run().requests();
    List<String> pools = rs == null ? List.of() : rs.pools();
    sb.append("<div class=\"table-wrap\"><table class=\"num\"><thead><tr><th>category</th>"
        + "<th>requests</th><th>OK</th><th>rejected</th><th>TTFT p99 ms</th>"
        + "<th>E2E p99 ms</th><th>preemptions /1,000</th>");
    List<Integer> shown = new ArrayList<>();
    for (int p = 0; p < pools.size(); p++) {
      if (rs.poolTotal(p) > 0) {
        shown.add(p);
        sb.append("<th>→ ").append(esc(pools.get(p))).append("</th>");
      }
    }
    sb.append("</tr></thead><tbody>");
    cats.forEach((name, c) -> {
      sb.append("<tr><th>").append(esc(name)).append("</th>")
          .append(td(ValueKind.INTEGER, (double) c.requests().total()))
          .append(td(ValueKind.INTEGER, (double) c.requests().ok()))
          .append(td(ValueKind.INTEGER, (double) (c.requests().rejectedContext()
              + c.requests().rejectedOverload())))
          .append(td(ValueKind.MILLIS, c.ttftMs() == null || c.ttftMs().count() == 0 ? null
              : c.ttftMs().p99()))
          .append(td(ValueKind.MILLIS, c.e2eMs() == null || c.e2eMs().count() == 0 ? null
              : c.e2eMs().p99()))
          .append(td(ValueKind.DECIMAL, c.preemptionsPer1000()));
      long[] byPool = rs == null ? null : rs.categoryPools().get(name);
      long total = 0;
      if (byPool != null) {
        for (long v : byPool) {
          total += v;
        }
      }
      for (int p : shown) {
        sb.append(td(ValueKind.PERCENT, byPool == null || total == 0 ? null
            : (double) byPool[p] / total));
      }
      sb.append("</tr>");
    });
    sb.append("</tbody></table></div>");
    if (rs == null) {
      sb.append(Panel.missing("No requests.csv.gz: the split of each category across pools is "
          + "not shown."));
    }
  }

  private static String td(ValueKind kind, Double v) {
    return "<td>" + esc(kind.format(v)) + "</td>";
  }
}
