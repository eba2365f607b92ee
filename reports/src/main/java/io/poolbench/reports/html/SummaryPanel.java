package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;

import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.SummaryTable;

/** The side-by-side summary table: one column per run, the best value of each row in bold. */
final class SummaryPanel implements Panel {
  @Override
  public String id() {
    return "summary";
  }

  @Override
  public String title() {
    return "Summary";
  }

  @Override
  public String html(Report report) {
    SummaryTable t = report.summaryTable();
    StringBuilder sb = new StringBuilder();
    sb.append("<div class=\"table-wrap\"><table class=\"summary num\"><thead><tr><th></th>");
    for (ModeRun r : report.runs()) {
      sb.append("<th>").append(Panel.runName(r.index(), r.name())).append("<div class=\"sub\">")
          .append(esc(r.mode())).append("</div></th>");
    }
    sb.append("</tr></thead><tbody>");
    String group = null;
    for (SummaryTable.Row row : t.rows()) {
      if (!row.group().equals(group)) {
        group = row.group();
        sb.append("<tr class=\"group\"><th colspan=\"").append(t.columns().size() + 1)
            .append("\">").append(esc(group)).append("</th></tr>");
      }
      sb.append("<tr data-key=\"").append(esc(row.key())).append("\"><th>")
          .append(esc(row.label()));
      if (!row.unit().isEmpty()) {
        sb.append(" <span class=\"unit\">").append(esc(row.unit())).append("</span>");
      }
      sb.append("</th>");
      int best = row.best();
      for (int i = 0; i < row.values().size(); i++) {
        sb.append(i == best ? "<td class=\"best\">" : "<td>")
            .append(esc(row.kind().format(row.values().get(i)))).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table></div><p class=\"note\">Bold marks the best run of a row "
        + "when it is more than 1% better than every other. — means the run directory does not "
        + "have the figure. Latencies are from summary.json (TTFT and E2E from arrival, i.e. "
        + "the planned send time). $/year = GPUs × $/GPU-hour × 8,760 h, shown only when "
        + "run.json or --gpu-price gives a price.</p>");
    return sb.toString();
  }
}
