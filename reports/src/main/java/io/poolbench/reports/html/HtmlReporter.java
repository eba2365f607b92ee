package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;

import io.poolbench.reports.Reporter;
import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes {@code index.html} and copies {@code assets/report.css} and {@code assets/report.js}
 * beside it, or, as a single file for sharing, inlines both into the page. The page is a header
 * (runs with their colors, the verdict, navigation) and one section per {@link Panel}. A content
 * security policy allows only the two assets (by URL, or inlined by their SHA-256), so even a
 * string that escaped escaping could not run script.
 */
public final class HtmlReporter implements Reporter {
  /** The page this reporter writes. */
  public static final String FILE = "index.html";
  /** The assets copied into {@code assets/} beside the page. */
  static final List<String> ASSETS = List.of("report.css", "report.js");

  private final boolean singleFile;

  /** A reporter that copies the assets beside the page. */
  public HtmlReporter() {
    this(false);
  }

  /** A reporter that inlines the assets when {@code singleFile}: one file to share. */
  public HtmlReporter(boolean singleFile) {
    this.singleFile = singleFile;
  }

  private static final List<Panel> PANELS = List.of(new SummaryPanel(), new LatencyPanel(),
      new TimelinePanel(), new RoutingPanel(), new CostPanel(), new FidelityPanel(),
      new ProvenancePanel());

  @Override
  public Path write(Report report, Path outDir) {
    Path file = outDir.resolve(FILE);
    try {
      Files.createDirectories(outDir);
      if (!singleFile) {
        Files.createDirectories(outDir.resolve("assets"));
        for (String a : ASSETS) {
          Files.writeString(outDir.resolve("assets").resolve(a), asset(a),
              StandardCharsets.UTF_8);
        }
      }
      Files.writeString(file, render(report, singleFile), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
    return file;
  }

  /** The page, with its assets beside it. */
  public static String render(Report report) {
    return render(report, false);
  }

  /** The page; with {@code inline}, a single file with the assets inlined. */
  public static String render(Report report, boolean inline) {
    String names = report.runs().stream().map(ModeRun::name).collect(Collectors.joining(" vs "));
    StringBuilder sb = new StringBuilder(1 << 16);
    String css = inline ? asset("report.css") : null;
    String js = inline ? asset("report.js") : null;
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ");
    if (inline) {
      sb.append("style-src '").append(sha256(css)).append("'; script-src '")
          .append(sha256(js)).append("'; img-src data:\">");
    } else {
      sb.append("style-src 'self'; script-src 'self'; img-src 'self' data:\">");
    }
    sb.append("<title>poolbench report: ").append(esc(names)).append("</title>");
    if (inline) {
      // the assets are the project's own files: neither holds "</" (checked in asset())
      sb.append("<style>").append(css).append("</style><script>").append(js)
          .append("</script></head>\n");
    } else {
      sb.append("<link rel=\"stylesheet\" href=\"assets/report.css\">"
          + "<script src=\"assets/report.js\"></script></head>\n");
    }
    sb.append("<body data-report-ready=\"false\"><header class=\"top\"><div class=\"wrap\">"
        + "<h1>poolbench report</h1>");
    verdict(report, sb);
    sb.append("<p class=\"lede\">");
    sb.append(report.runs().size()).append(report.runs().size() == 1 ? " run" : " runs");
    ModeRun first = report.runs().get(0);
    if (first.run().info().trace() != null && first.run().info().trace().name() != null) {
      sb.append(" · trace ").append(esc(first.run().info().trace().name()));
    }
    sb.append("</p><div class=\"runs\">");
    for (ModeRun r : report.runs()) {
      sb.append(Panel.runName(r.index(), r.name()));
    }
    sb.append("</div><nav>");
    for (Panel p : PANELS) {
      sb.append("<a href=\"#").append(p.id()).append("\">").append(esc(p.title())).append("</a>");
    }
    sb.append("</nav></div></header>\n<main class=\"wrap\">");
    for (Panel p : PANELS) {
      sb.append("<section id=\"").append(p.id()).append("\"><h2>").append(esc(p.title()))
          .append("</h2>").append(p.html(report)).append("</section>\n");
    }
    sb.append("</main><footer class=\"wrap\"><p>Generated by poolbench from run directories "
        + "only. Charts are inline SVG; the page needs no network")
        .append(inline ? ", and this file holds everything it shows.</p>" : ".</p>");
    sb.append(""
        + "<p id=\"report-status\" class=\"status\"></p></footer></body></html>\n");
    return sb.toString();
  }

  /** The verdict block: one sentence per run mode, and the SLO it was judged against. */
  private static void verdict(Report report, StringBuilder sb) {
    Verdict v = report.verdict();
    sb.append("<div class=\"verdict\" id=\"verdict\">");
    for (Verdict.Line l : v.lines()) {
      sb.append("<p class=\"verdict-line\" data-run-mode=\"").append(esc(l.runMode()))
          .append("\">").append(esc(l.text())).append("</p>");
    }
    sb.append("<p class=\"verdict-note\">Goodput per GPU counts requests that met the SLO's "
        + "TTFT and TPOT, per GPU; a run meets the SLO when its P99 TTFT and P99 TPOT are within "
        + "it. Gains are against the one-pool run of the same run mode.</p></div>");
  }

  /** An asset's text. */
  static String asset(String name) {
    try (InputStream in = HtmlReporter.class.getResourceAsStream("assets/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource assets/" + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.contains("</")) {
        throw new IllegalStateException("assets/" + name + " holds \"</\" and cannot be inlined");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read assets/" + name, e);
    }
  }

  /** The CSP source of inline content: {@code sha256-<base64>}. */
  static String sha256(String content) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(content.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
