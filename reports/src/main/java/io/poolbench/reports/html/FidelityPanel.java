package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;

import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.ValueKind;
import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.LatencySummary;
import java.util.List;

/**
 * Live versus simulated: for every label that has both a loadgen and a simulate run, the TTFT
 * and E2E percentiles side by side with the simulator's relative error, the rejection counts,
 * and the two CDFs overlaid (live solid, simulated dashed).
 */
final class FidelityPanel implements Panel {
  @Override
  public String id() {
    return "fidelity";
  }

  @Override
  public String title() {
    return "Live vs simulated";
  }

  @Override
  public String html(Report report) {
    List<ModeRun[]> pairs = report.liveVsSimulated();
    if (pairs.isEmpty()) {
      return Panel.missing("No mode has both a live (loadgen) and a simulated run directory in "
          + "this report, so there is nothing to overlay.");
    }
    StringBuilder sb = new StringBuilder();
    for (ModeRun[] p : pairs) {
      ModeRun live = p[0];
      ModeRun sim = p[1];
      sb.append("<h3>").append(esc(live.label())).append("</h3><div class=\"table-wrap\">"
          + "<table class=\"num\"><thead><tr><th></th><th>")
          .append(Panel.runName(live.index(), "live")).append("</th><th>")
          .append(Panel.runName(sim.index(), "simulated")).append("</th><th>sim − live</th>"
          + "</tr></thead><tbody>");
      for (LatencyMetric m : List.of(LatencyMetric.TTFT, LatencyMetric.E2E)) {
        LatencySummary l = live.run().summary().latency(m);
        LatencySummary s = sim.run().summary().latency(m);
        row(sb, LatencyPanel.name(m) + " p50 (ms)", l == null ? null : l.p50(),
            s == null ? null : s.p50());
        row(sb, LatencyPanel.name(m) + " p99 (ms)", l == null ? null : l.p99(),
            s == null ? null : s.p99());
      }
      var lr = live.run().summary().requests();
      var sr = sim.run().summary().requests();
      sb.append("<tr><th>rejections</th><td>")
          .append(ValueKind.INTEGER.format((double) (lr.rejectedContext() + lr.rejectedOverload())))
          .append("</td><td>")
          .append(ValueKind.INTEGER.format((double) (sr.rejectedContext() + sr.rejectedOverload())))
          .append("</td><td></td></tr></tbody></table></div><div class=\"charts\">");
      for (LatencyMetric m : List.of(LatencyMetric.TTFT, LatencyMetric.E2E)) {
        LineChart c = new LineChart(LatencyPanel.name(m) + ": live vs simulated",
            LatencyPanel.name(m) + " (ms)", "fraction of requests").logX().yRange(0, 1);
        LineChart.Series ls = LatencyPanel.cdf(live, m, live.name(), 0);
        LineChart.Series ss = LatencyPanel.cdf(sim, m, sim.name(), 1);
        if (ls != null) {
          c.add(ls);
        }
        if (ss != null) {
          c.add(ss);
        }
        sb.append(c.html());
      }
      sb.append("</div>");
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, Double live, Double sim) {
    String delta = live == null || sim == null || live == 0 ? "—"
        : Html.fmt("%+.1f%%", 100 * (sim - live) / live);
    sb.append("<tr><th>").append(esc(label)).append("</th><td>")
        .append(ValueKind.MILLIS.format(live)).append("</td><td>")
        .append(ValueKind.MILLIS.format(sim)).append("</td><td>").append(delta)
        .append("</td></tr>");
  }
}
