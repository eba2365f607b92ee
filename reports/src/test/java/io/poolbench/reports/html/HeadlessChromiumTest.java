package io.poolbench.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolbench.reports.RunFixtures;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RunLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a real report in headless Chromium (Debian package {@code chromium}; skipped when
 * /usr/bin/chromium is absent) and reads the DOM after scripts ran: report.js marks the body
 * ready, counts charts that were laid out with visible marks, and counts script errors.
 */
class HeadlessChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern BODY = Pattern.compile("<body([^>]*)>");
  private static final Pattern ATTR = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

  @TempDir Path tmp;

  @BeforeEach
  void needsChromium() {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "headless Chromium test skipped: /usr/bin/chromium is not installed "
            + "(apt-get install chromium)");
  }

  @Test
  void report_loadsWithoutScriptErrorsAndDrawsEveryChart() throws Exception {
    Path one = RunFixtures.write(tmp.resolve("single"), RunFixtures.Spec.single(300)).dir();
    Path two = RunFixtures.write(tmp.resolve("two-pool"), RunFixtures.Spec.twoPool(300)).dir();
    // engine /metrics reads, as a live run that scraped its engines writes them
    StringBuilder engines = new StringBuilder(
        "t_s,pool,endpoint,running,waiting,kv_cache_usage,preemptions_total\n");
    for (int t = 1; t <= 20; t++) {
      engines.append(t).append(".000,short,http://a:1,").append(t % 7).append(",0,0.2500,")
          .append(t / 5).append('\n');
      engines.append(t).append(".000,long,http://b:1,").append(t % 3).append(",").append(t % 2)
          .append(",0.7000,").append(t / 4).append('\n');
    }
    Files.writeString(two.resolve("engine-metrics.csv"), engines);
    Path out = tmp.resolve("report");
    new HtmlReporter().write(Report.of(List.of(RunLoader.load(one), RunLoader.load(two)),
        List.of("<script>alert(1)</script>", ""), null), out);

    String dom = dumpDom(out.resolve("index.html"));
    Map<String, String> body = bodyAttributes(dom);

    assertThat(dom).contains("Engine load per pool").contains("KV-cache usage per pool");
    assertThat(body).containsEntry("data-report-ready", "true").containsEntry("data-errors", "0");
    int charts = Integer.parseInt(body.get("data-charts"));
    assertThat(charts).isGreaterThanOrEqualTo(10);
    assertThat(body).containsEntry("data-charts-drawn", Integer.toString(charts));
  }

  @Test
  void singleFileReport_runsItsInlinedScriptUnderThePolicyAndDrawsEveryChart() throws Exception {
    // the inlined script runs only if the policy's hash matches it: a wrong hash would leave
    // data-report-ready "false"
    Path one = RunFixtures.write(tmp.resolve("single"), RunFixtures.Spec.single(300)).dir();
    Path two = RunFixtures.write(tmp.resolve("two-pool"), RunFixtures.Spec.twoPool(300)).dir();
    Path out = tmp.resolve("shared");
    Path index = new HtmlReporter(true).write(Report.of(List.of(RunLoader.load(one),
        RunLoader.load(two)), null, null), out);
    // one file, moved away from where it was written, still shows everything
    Path moved = Files.move(index, tmp.resolve("moved.html"));

    String dom = dumpDom(moved);
    Map<String, String> body = bodyAttributes(dom);

    assertThat(dom).contains("class=\"verdict-line\"");
    assertThat(body).containsEntry("data-report-ready", "true").containsEntry("data-errors", "0");
    int charts = Integer.parseInt(body.get("data-charts"));
    assertThat(charts).isGreaterThanOrEqualTo(8);
    assertThat(body).containsEntry("data-charts-drawn", Integer.toString(charts));
  }

  @Test
  void pageWithAFailingScript_isReportedAsAnError() throws Exception {
    // proves the check above can fail: the same error capture sees a script that throws
    Path one = RunFixtures.write(tmp.resolve("single"), RunFixtures.Spec.single(20)).dir();
    Path out = tmp.resolve("report");
    Path index = new HtmlReporter().write(Report.of(List.of(RunLoader.load(one)), null, null),
        out);
    Files.writeString(out.resolve("assets/broken.js"), "null.boom();\n");
    Files.writeString(index, Files.readString(index).replace("</body>",
        "<script src=\"assets/broken.js\"></script></body>"));

    Map<String, String> body = bodyAttributes(dumpDom(index));

    assertThat(body).containsEntry("data-report-ready", "true");
    assertThat(Integer.parseInt(body.get("data-errors"))).isGreaterThanOrEqualTo(1);
  }

  private String dumpDom(Path page) throws IOException, InterruptedException {
    Path log = tmp.resolve("chromium-" + System.nanoTime() + ".log");
    ProcessBuilder pb = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + tmp.resolve("profile-" + System.nanoTime()),
        "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
        .redirectError(log.toFile());
    Process p = pb.start();
    byte[] dom = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s");
    }
    String text = new String(dom, StandardCharsets.UTF_8);
    assertThat(text).as("chromium --dump-dom output (stderr in %s)", log).contains("<body");
    return text;
  }

  private static Map<String, String> bodyAttributes(String dom) {
    Matcher m = BODY.matcher(dom);
    assertThat(m.find()).as("a <body> element in the dumped DOM").isTrue();
    Map<String, String> attrs = new HashMap<>();
    Matcher a = ATTR.matcher(m.group(1));
    while (a.find()) {
      attrs.put(a.group(1), a.group(2));
    }
    return attrs;
  }
}
