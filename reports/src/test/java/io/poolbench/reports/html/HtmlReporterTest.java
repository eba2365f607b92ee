package io.poolbench.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.RunFixtures;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RunData;
import io.poolbench.reports.model.RunLoader;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReporterTest {

  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String IMG = "<img src=x onerror=alert(2)>";

  @TempDir Path tmp;

  private RunData run(String name, RunFixtures.Spec spec) {
    return RunLoader.load(RunFixtures.write(tmp.resolve(name), spec).dir());
  }

  private static int count(String haystack, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void render_hostileLabelsPoliciesAndCategories_areEscapedEverywhere() {
    RunData a = run("a", RunFixtures.Spec.single(40).withPolicy(SCRIPT)
        .withCategories(List.of(IMG, "it's \"quoted\" & <b>")));
    RunData b = run("b", RunFixtures.Spec.twoPool(40).withCategories(List.of(IMG)));
    String page = HtmlReporter.render(Report.of(List.of(a, b), List.of(SCRIPT, ""), null));

    // the only script element is the report's own asset
    assertThat(count(page, "<script")).isEqualTo(1);
    assertThat(page).contains("<script src=\"assets/report.js\"></script>")
        .doesNotContain(SCRIPT).doesNotContain("<img").doesNotContain("<b>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&lt;img src=x onerror=alert(2)&gt;")
        .contains("it&#39;s &quot;quoted&quot; &amp; &lt;b&gt;");
  }

  @Test
  void render_runWithoutOptionalFiles_saysWhatIsMissing() throws Exception {
    Path dir = RunFixtures.write(tmp.resolve("bare"), RunFixtures.Spec.single(30)).dir();
    Files.delete(dir.resolve(RunDirectory.LATENCY_HLOG));
    Files.delete(dir.resolve(RunDirectory.REQUESTS_CSV_GZ));
    String page = HtmlReporter.render(Report.of(List.of(RunLoader.load(dir)), null, null));

    assertThat(page)
        .contains("No latency.hlog in single")
        .contains("No requests.csv.gz in single")
        .contains("No TTFT intervals in latency.hlog of single")
        .contains("No routing.json in single")
        .contains("No run has two or more pools")
        .contains("No mode has both a live (loadgen) and a simulated run directory")
        // the CDFs fall back to summary.json percentiles rather than disappearing
        .contains("single (percentiles)");
  }

  @Test
  void render_fullRuns_drawsEveryPanel() {
    RunData one = run("one", RunFixtures.Spec.single(200));
    Path twoDir = RunFixtures.write(tmp.resolve("two"), RunFixtures.Spec.twoPool(200)).dir();
    RoutingLogWriter w = new RoutingLogWriter();
    for (int t = 0; t < 5; t++) {
      w.sample(t, "prose", 4.3 + t * 0.02, 4.48, t * 10);
      w.sample(t, "code", 3.3 + t * 0.03, 3.52, t * 10);
    }
    w.promptError(new long[] {-2, -1, 0, 1, 2}, new long[] {1, 5, 40, 30, 3, 1}, 12);
    w.write(RunDirectory.open(twoDir));
    RunData live = run("live", RunFixtures.Spec.twoPool(200).withMode("loadgen"));
    String page = HtmlReporter.render(Report.of(List.of(one, RunLoader.load(twoDir), live),
        null, null));

    for (String id : List.of("summary", "latency", "timeline", "routing", "cost", "fidelity",
        "provenance")) {
      assertThat(page).contains("<section id=\"" + id + "\">");
    }
    assertThat(page)
        .contains("TTFT CDF", "Achieved throughput", "Requests in flight", "TTFT p99 per interval",
            "Arrivals per pool", "Share of arrivals per pool", "Share of requests per pool",
            "Estimator bytes per token, per category",
            "Prompt-token estimate error (estimated − actual)",
            "closed form α(1 − 1/ρ)", "TTFT: live vs simulated", "fnv1a64:0123")
        .doesNotContain("No mode has both");
    assertThat(count(page, "<svg class=\"chart\"")).isGreaterThanOrEqualTo(12);
  }

  @Test
  void provenance_showsTheLoadgensLag_warnsWhenItReachesTheTail_andNotForSimulations() {
    RunData sim = run("sim", RunFixtures.Spec.single(40));
    Path quietDir = RunFixtures.write(tmp.resolve("quiet"),
        RunFixtures.Spec.single(40).withMode("loadgen")).dir();
    Path busyDir = RunFixtures.write(tmp.resolve("busy"),
        RunFixtures.Spec.single(40).withMode("loadgen")).dir();
    Summary.ToolUse use = new Summary.ToolUse(1.5, 0.04, 12, 3, 30, 88, 40, 12, false);
    RunDirectory quiet = RunDirectory.open(quietDir);
    quiet.writeSummary(quiet.readSummary().withTool(
        new LatencySummary(39, 0.1, 0.08, 0.2, 0.35, 0.9, 0.9), use));
    RunDirectory busy = RunDirectory.open(busyDir);
    busy.writeSummary(busy.readSummary().withTool(
        new LatencySummary(39, 3, 0.5, 9, 24, 193, 193), use));

    String simOnly = HtmlReporter.render(Report.of(List.of(sim), null, null));
    assertThat(simOnly).contains("<dt>loadgen send lag</dt><dd>n/a (simulated)</dd>")
        .doesNotContain("tail figures include");

    String quietPage = HtmlReporter.render(Report.of(List.of(RunLoader.load(quietDir)), null, null));
    assertThat(quietPage).contains("<dt>loadgen send lag</dt><dd>p50 0.08 ms, p99 0.35 ms")
        .contains("CPU 1.50 s (0.040 ms per request), GC 12 ms in 3 collections")
        .doesNotContain("tail figures include");

    String busyPage = HtmlReporter.render(Report.of(List.of(RunLoader.load(busyDir)), null, null));
    assertThat(busyPage).contains("<dt>loadgen send lag</dt><dd>p50 0.50 ms, p99 24.0 ms")
        .contains("Warning: tail figures include the tool&#39;s own lag: send lag p99 24.0 ms");
  }

  @Test
  void write_copiesAssetsBesideThePage() throws Exception {
    Path out = tmp.resolve("report");
    Path index = new HtmlReporter().write(Report.of(List.of(run("a",
        RunFixtures.Spec.single(10))), null, null), out);
    assertThat(index).isEqualTo(out.resolve("index.html")).exists();
    assertThat(out.resolve("assets/report.css")).isNotEmptyFile();
    assertThat(Files.readString(out.resolve("assets/report.js"))).contains("data-charts-drawn");
  }
}
