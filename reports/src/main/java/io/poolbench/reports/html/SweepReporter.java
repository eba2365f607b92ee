package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;

import io.poolbench.reports.sweep.SweepResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The page of a rate sweep ({@code sweep.html}): the verdict, goodput and tail latency against
 * the planned rate for every mode, and the table of steps. One self-contained file (the report's
 * stylesheet inlined), so it can be mailed or attached as it is.
 */
public final class SweepReporter {
  /** The page this reporter writes. */
  public static final String FILE = "sweep.html";

  private SweepReporter() {}

  /** Writes {@code dir/sweep.html}; returns its path. */
  public static Path write(SweepResult result, Path dir) {
    Path file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      Files.writeString(file, render(result), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
    return file;
  }

  /** The page. */
  public static String render(SweepResult r) {
    StringBuilder sb = new StringBuilder(1 << 15);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        + "style-src 'unsafe-inline'; img-src data:\">"
        + "<title>poolbench sweep: ").append(esc(r.trace())).append("</title><style>")
        .append(stylesheet()).append("</style></head>\n<body data-report-ready=\"true\">"
        + "<header class=\"top\"><div class=\"wrap\"><h1>poolbench rate sweep</h1>"
        + "<p class=\"lede\">");
    sb.append(esc(r.kind())).append(" · trace ").append(esc(r.trace())).append(" · ")
        .append(String.format(Locale.US, "%.0f s per step", r.stepDurationS()))
        .append("</p><div class=\"runs\">");
    for (int i = 0; i < r.modes().size(); i++) {
      sb.append(Panel.runName(i, r.modes().get(i).mode()));
    }
    sb.append("</div></div></header>\n<main class=\"wrap\"><section id=\"verdict\">"
        + "<h2>Verdict</h2><p class=\"verdict\">").append(esc(r.verdict())).append("</p>");
    sb.append("<p>A step meets the SLO when TTFT p99 ≤ ")
        .append(esc(SweepResult.number(r.slo().ttftMs()))).append(" ms, TPOT p99 ≤ ")
        .append(esc(SweepResult.number(r.slo().tpotMs()))).append(" ms and at most 1% of its requests "
            + "failed; goodput counts the requests that met both objectives.</p></section>");
    sb.append("<section id=\"curves\"><h2>Goodput and tails against rate</h2><div class=\"charts\">");
    LineChart goodput = new LineChart("Goodput (SLO: TTFT p99 " + SweepResult.number(r.slo().ttftMs())
        + " ms, TPOT p99 " + SweepResult.number(r.slo().tpotMs()) + " ms)", "planned rate (req/s)",
        "goodput (req/s)");
    LineChart ttft = new LineChart("TTFT p99", "planned rate (req/s)", "ms");
    LineChart tpot = new LineChart("TPOT p99", "planned rate (req/s)", "ms");
    for (int i = 0; i < r.modes().size(); i++) {
      SweepResult.Curve c = r.modes().get(i);
      List<SweepResult.Point> ps = c.points();
      double[] xs = ps.stream().mapToDouble(SweepResult.Point::plannedRps).toArray();
      goodput.add(new LineChart.Series(c.mode(), i, 0, xs,
          ps.stream().mapToDouble(SweepResult.Point::goodputRps).toArray(), false));
      ttft.add(new LineChart.Series(c.mode(), i, 0, xs,
          ps.stream().mapToDouble(SweepResult.Point::ttftP99Ms).toArray(), false));
      tpot.add(new LineChart.Series(c.mode(), i, 0, xs,
          ps.stream().mapToDouble(SweepResult.Point::tpotP99Ms).toArray(), false));
    }
    sb.append(goodput.html()).append(ttft.html()).append(tpot.html()).append("</div></section>");
    sb.append("<section id=\"steps\"><h2>Steps</h2><table class=\"summary\"><thead><tr>"
        + "<th>mode</th><th>planned req/s</th><th>sent req/s</th><th>goodput req/s</th>"
        + "<th>goodput / GPU</th><th>TTFT p99 ms</th><th>TPOT p99 ms</th><th>failed</th>"
        + "<th>SLO (TTFT ").append(esc(SweepResult.number(r.slo().ttftMs()))).append(" / TPOT ")
        .append(esc(SweepResult.number(r.slo().tpotMs()))).append(" ms)</th><th>saturation</th>"
        + "<th>run directory</th></tr></thead><tbody>");
    for (int i = 0; i < r.modes().size(); i++) {
      SweepResult.Curve c = r.modes().get(i);
      for (SweepResult.Point p : c.points()) {
        sb.append("<tr><td>").append(Panel.runName(i, c.mode())).append("</td><td>")
            .append(SweepResult.number(p.plannedRps())).append("</td><td>")
            .append(String.format(Locale.US, "%.2f", p.sentRps())).append("</td><td>")
            .append(String.format(Locale.US, "%.2f", p.goodputRps())).append("</td><td>")
            .append(p.goodputPerGpu() == null ? "—"
                : String.format(Locale.US, "%.3f", p.goodputPerGpu()))
            .append("</td><td>").append(String.format(Locale.US, "%.1f", p.ttftP99Ms()))
            .append("</td><td>").append(String.format(Locale.US, "%.1f", p.tpotP99Ms()))
            .append("</td><td>").append(String.format(Locale.US, "%.1f%%", 100 * p.failedShare()))
            .append("</td><td>").append(p.meetsSlo() ? "met" : "missed").append("</td><td>")
            .append(esc(p.saturation().isEmpty() ? "—" : String.join("; ", p.saturation())))
            .append("</td><td>").append(esc(p.runDir())).append("</td></tr>");
      }
    }
    sb.append("</tbody></table><p>Each step's run directory holds the full run (summary.json, "
        + "requests.csv.gz); <code>poolbench report</code> renders any of them.</p></section>");
    sb.append("</main><footer class=\"wrap\"><p>Generated by poolbench sweep from sweep.json. "
        + "Charts are inline SVG; the page needs no network.</p></footer></body></html>\n");
    return sb.toString();
  }

  private static String stylesheet() {
    try (InputStream in = SweepReporter.class.getResourceAsStream("assets/report.css")) {
      if (in == null) {
        throw new IllegalStateException("missing resource assets/report.css");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</", "<\\/");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
