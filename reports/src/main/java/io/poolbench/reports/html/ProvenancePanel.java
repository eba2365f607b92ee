package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.reports.rundir.ToolLag;
import java.util.Map;

/**
 * Configuration and provenance: run.json of every run, its fleet, the full config, and for a live
 * run the loadgen's own send lag and resource use (with a warning when the lag reaches the tail).
 */
final class ProvenancePanel implements Panel {
  @Override
  public String id() {
    return "provenance";
  }

  @Override
  public String title() {
    return "Configuration and provenance";
  }

  @Override
  public String html(Report report) {
    StringBuilder sb = new StringBuilder();
    for (ModeRun r : report.runs()) {
      RunInfo info = r.run().info();
      sb.append("<h3>").append(Panel.runName(r.index(), r.name())).append("</h3>");
      sb.append("<dl class=\"facts\">");
      fact(sb, "run directory", r.run().dir().toString());
      fact(sb, "mode", info.mode());
      fact(sb, "policy", r.run().facts().policy());
      fact(sb, "fleet", r.run().facts().fleetName());
      if (info.trace() != null) {
        fact(sb, "trace", info.trace().name());
        fact(sb, "trace digest", info.trace().digest());
        fact(sb, "trace requests", Html.fmt("%,d", info.trace().requests()));
      }
      fact(sb, "seed", Long.toString(info.seed()));
      fact(sb, "started at", info.startedAt());
      fact(sb, "poolbench", info.version() + (info.commit() == null ? ""
          : " (commit " + info.commit() + ")"));
      if (info.environment() != null) {
        fact(sb, "environment", String.join(", ", info.environment().entrySet().stream()
            .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
            .toList()));
      }
      Summary summary = r.run().summary();
      if (summary != null) {
        boolean simulated = "simulate".equals(info.mode());
        fact(sb, "loadgen send lag", ToolLag.describe(summary, simulated));
        fact(sb, "loadgen resources", ToolLag.describeUse(summary.loadgen()));
      }
      sb.append("</dl>");
      String warning = summary == null ? null : ToolLag.warning(summary);
      if (warning != null) {
        sb.append("<p class=\"missing\">Warning: ").append(esc(warning)).append(".</p>");
      }
      if (info.fleet() != null && !info.fleet().isEmpty()) {
        sb.append("<div class=\"table-wrap\"><table class=\"num\"><thead><tr><th>pool</th>"
            + "<th>instances</th><th class=\"text\">GPU</th><th>GPUs</th>"
            + "<th class=\"text\">model</th>"
            + "<th>max_model_len</th><th>max_num_seqs</th></tr></thead><tbody>");
        for (RunInfo.Pool p : info.fleet()) {
          Map<String, Object> st = p.settings() == null ? Map.of() : p.settings();
          sb.append("<tr><th>").append(esc(p.name())).append("</th><td>")
              .append(Html.fmt("%,d", p.instances())).append("</td><td class=\"text\">")
              .append(esc(p.gpu())).append("</td><td>").append(Html.fmt("%,d", p.gpus()))
              .append("</td><td class=\"text\">").append(esc(p.model())).append("</td><td>")
              .append(esc(String.valueOf(st.getOrDefault("max_model_len", "—"))))
              .append("</td><td>")
              .append(esc(String.valueOf(st.getOrDefault("max_num_seqs", "—"))))
              .append("</td></tr>");
        }
        sb.append("</tbody></table></div>");
      }
      sb.append("<details><summary>run.json</summary><pre>").append(esc(json(info)))
          .append("</pre></details>");
    }
    return sb.toString();
  }

  private static void fact(StringBuilder sb, String name, String value) {
    if (value != null) {
      sb.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>");
    }
  }

  private static String json(RunInfo info) {
    try {
      return RunDirectory.mapper().writeValueAsString(info);
    } catch (JsonProcessingException e) {
      return "(could not print run.json: " + e.getOriginalMessage() + ")";
    }
  }
}
