package io.poolbench.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.RunFixtures;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RunData;
import io.poolbench.reports.model.RunLoader;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
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
  void render_hostilePathsModelsPoolsGpusAndTraceNames_areEscapedEverywhere() throws Exception {
    // every string a run directory or its run.json carries into the page
    Path dir = RunFixtures.write(tmp.resolve("dir" + SCRIPT.replace('/', '_')),
        RunFixtures.Spec.twoPool(40)).dir();
    RunInfo info = RunDirectory.open(dir).readRunInfo();
    List<RunInfo.Pool> pools = info.fleet().stream().map(p -> new RunInfo.Pool(p.name(),
        p.instances(), IMG, p.gpusPerInstance(), p.gpus(), SCRIPT, p.settings())).toList();
    java.util.Map<String, Object> config = new java.util.LinkedHashMap<>(info.config());
    config.put("fleet", java.util.Map.of("name", SCRIPT));
    RunDirectory.open(dir).writeRunInfo(new RunInfo(info.mode(), SCRIPT, IMG, SCRIPT,
        info.seed(), new RunInfo.Trace(SCRIPT, IMG, 40), pools, info.gpus(), config,
        java.util.Map.of(SCRIPT, IMG)));
    RunData one = run("one", RunFixtures.Spec.single(40));
    // hostile pool names reach legends, table headers, the category → pool split and run.json
    RunFixtures.Spec t = RunFixtures.Spec.twoPool(40);
    RunData hostilePools = run("pools", new RunFixtures.Spec("loadgen", t.policy(), List.of(SCRIPT, IMG),
        t.gpus(), t.maxModelLen(), t.maxNumSeqs(), t.categories(), t.requests(), t.seed(),
        t.gpuPrice(), t.slo()));

    String page = HtmlReporter.render(Report.of(List.of(one, RunLoader.load(dir), hostilePools), null,
        null));

    assertThat(count(page, "<script")).isEqualTo(1);
    assertThat(page).doesNotContain(SCRIPT).doesNotContain("<img")
        .contains("dir&lt;script&gt;alert(1)&lt;_script&gt;") // the directory name
        .contains("<td class=\"text\">&lt;script&gt;alert(1)&lt;/script&gt;</td>") // model
        .contains("<td class=\"text\">&lt;img src=x onerror=alert(2)&gt;</td>"); // GPU
    assertThat(page).contains("→ &lt;img src=x onerror=alert(2)&gt;");
    String single = HtmlReporter.render(Report.of(List.of(one, RunLoader.load(dir), hostilePools), null,
        null), true);
    assertThat(count(single, "<script")).isEqualTo(1);
    assertThat(single).doesNotContain(SCRIPT).doesNotContain("<img");
  }

  @Test
  void render_verdictHeadlineAndCostMeaning_atEqualGpus() {
    // two pools on 10 GPUs, as many as the one-pool run, so any difference is goodput per GPU;
    // at a 100 ms TTFT SLO the long pool's requests (TTFT + 100 ms) do not count as goodput
    RunData one = run("one", RunFixtures.Spec.single(300).withSlo(100, 80));
    RunData two = run("two", RunFixtures.Spec.twoPool(300).withGpus(5, 5).withSlo(100, 80));
    Report report = Report.of(List.of(one, two), null, null);
    double gain = two.summary().goodputPerGpu() / one.summary().goodputPerGpu() - 1;

    String page = HtmlReporter.render(report);

    String headline = report.verdict().lines().get(0).text();
    assertThat(gain).isLessThan(-0.01);
    assertThat(headline).isEqualTo("single: the most goodput per GPU, " + Html.fmt("%+.1f%%",
        100 * (1 / (1 + gain) - 1)) + " over token-budget, meets P99 TTFT 100 ms / TPOT 80 ms; "
        + "token-budget does not");
    // the headline sits in the header, before the first section
    assertThat(page.indexOf("<p class=\"verdict-line\" data-run-mode=\"simulate\">"
        + Html.esc(headline) + "</p>")).isPositive().isLessThan(page.indexOf("<section"));
    assertThat(page).contains("SLO met (P99 TTFT 100 ms / TPOT 80 ms)")
        .contains("Goodput per GPU within TTFT 100 ms, TPOT 80 ms")
        .contains("token-budget vs single: same GPUs (10 each), so the GPU saving as run is 0");
    assertThat(page).contains(Html.esc(Html.fmt("the gain shows as goodput per GPU (%+.1f%%), "
        + "i.e. the same traffic would need about %.1f%% more GPUs at that goodput", 100 * gain,
        100 * -(gain / (1 + gain)))));
    assertThat(page).contains("token-budget misses the SLO, so part of the difference is "
        + "requests it served too late to count as goodput, not capacity.");
  }

  @Test
  void write_singleFile_inlinesTheAssetsWithTheirHashesInThePolicy() throws Exception {
    Path out = tmp.resolve("shared");
    Path index = new HtmlReporter(true).write(Report.of(List.of(run("a",
        RunFixtures.Spec.single(10))), null, null), out);

    String page = Files.readString(index);
    assertThat(out.resolve("assets")).doesNotExist();
    assertThat(page).doesNotContain("assets/").contains("<style>").contains("data-charts-drawn")
        .contains("style-src '" + HtmlReporter.sha256(HtmlReporter.asset("report.css")) + "'")
        .contains("script-src '" + HtmlReporter.sha256(HtmlReporter.asset("report.js")) + "'")
        .doesNotContain("'self'").doesNotContain("'unsafe-inline'");
    // the hash is of exactly what sits between the tags
    String js = page.substring(page.indexOf("<script>") + 8, page.indexOf("</script>"));
    assertThat(HtmlReporter.sha256(js)).isEqualTo(
        HtmlReporter.sha256(HtmlReporter.asset("report.js")));
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
      w.sample(t, "_default", 3.9, 4.0, t * 20); // the estimator's bucket of every sample
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
        .doesNotContain("No mode has both")
        // the internal bucket name is not shown: the legend says what it holds
        .contains("token-budget · simulate · all requests (default bucket)").doesNotContain("_default");
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
