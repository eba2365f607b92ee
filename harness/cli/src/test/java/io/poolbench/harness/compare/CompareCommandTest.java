package io.poolbench.harness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareCommandTest {

  private static final String FLEET = """
      name: small
      model: llama-3-8b
      gpu: h100-80gb
      perf-model: affine
      affine: {w-ms: 4, h-ms: 0.3, ref-context: 8192}
      seed: 1
      pools:
        - name: short
          instances: 2
          max-model-len: 8192
          max-num-seqs: 32
          max-num-batched-tokens: 2048
          num-gpu-blocks: 4096
        - name: long
          instances: 1
          max-model-len: 32768
          max-num-seqs: 8
          max-num-batched-tokens: 2048
          num-gpu-blocks: 4096
      routing:
        policy: token-budget
      """;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int compare(String... extra) throws Exception {
    Path fleet = Files.writeString(dir.resolve("fleet.yaml"), FLEET);
    List<String> args = new ArrayList<>(List.of("compare", "--fleet", fleet.toString()));
    if (!List.of(extra).contains("--max-output-tokens")) {
      args.addAll(List.of("--max-output-tokens", "16"));
    }
    args.addAll(List.of(extra));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  @Test
  void simulatedCompare_writesARunPerModeAndAReport() throws Exception {
    Path o = dir.resolve("sim");
    assertThat(compare("--sim", "--trace", "builtin:long-mix?rate=10&duration=20s&long-share=0.1",
        "-o", o.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    Summary single = RunDirectory.open(o.resolve("single-sim")).readSummary();
    Summary twoPool = RunDirectory.open(o.resolve("token-budget-sim")).readSummary();
    // equal GPUs: the single-pool mode has as many instances as the two pools together
    assertThat(single.gpus()).isEqualTo(twoPool.gpus()).isEqualTo(3);
    // the one pool takes every request: it is named for that, not after the pool it copies
    assertThat(single.pools()).containsOnlyKeys("homogeneous");
    assertThat(single.pools().get("homogeneous").instances()).isEqualTo(3);
    assertThat(twoPool.pools()).containsOnlyKeys("short", "long");
    assertThat(single.requests().total()).isEqualTo(twoPool.requests().total()).isPositive();
    assertThat(o.resolve("report/index.html")).exists();
    assertThat(o.resolve("report/assets/report.js")).exists();
    // the price comes from the GPU catalog (h100-80gb), so $ figures appear
    var info = RunDirectory.open(o.resolve("single-sim")).readRunInfo();
    assertThat(info.fleet().get(0).settings()).containsEntry("dollars_per_gpu_hour",
        io.poolbench.harness.catalog.Catalog.gpu("h100-80gb").dollarsPerHour());
    assertThat(out.toString()).contains("GPU cost ($/year)").doesNotContain("GPU cost ($/year) "
        + " —");
    // the console states the verdict under the table, with the SLO the runs used
    String verdict = out.toString().lines().filter(l -> l.startsWith("verdict: ")).findFirst()
        .orElseThrow();
    assertThat(verdict).contains("goodput per GPU").contains("P99 TTFT 2 s / TPOT 80 ms");
    assertThat(out.toString()).contains("Goodput per GPU within TTFT 2 s, TPOT 80 ms")
        .contains("SLO met (P99 TTFT 2 s / TPOT 80 ms)").contains("report: ");
    String page = Files.readString(o.resolve("report/index.html"));
    assertThat(page).contains("class=\"verdict-line\"")
        .contains(io.poolbench.reports.html.Html.esc(verdict.substring("verdict: ".length())));
  }

  @Test
  void singleFile_writesOneSelfContainedPage() throws Exception {
    Path o = dir.resolve("one-file");
    assertThat(compare("--sim", "--single-file", "--trace",
        "builtin:long-mix?rate=10&duration=5s", "-o", o.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(o.resolve("report/assets")).doesNotExist();
    assertThat(Files.readString(o.resolve("report/index.html"))).doesNotContain("assets/")
        .contains("<style>").contains("class=\"verdict-line\"");
  }

  @Test
  void liveAndSimulated_runThroughTheMockFleetAndTheRouter() throws Exception {
    Path o = dir.resolve("live");
    assertThat(compare("--also-sim", "--modes", "token-budget", "--trace",
        "builtin:long-mix?rate=8&duration=5s&long-share=0.2", "-o", o.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    Summary live = RunDirectory.open(o.resolve("token-budget-live")).readSummary();
    Summary sim = RunDirectory.open(o.resolve("token-budget-sim")).readSummary();
    assertThat(live.requests().total()).isEqualTo(sim.requests().total());
    // long-mix reaches 64K tokens; this fleet's long pool holds 32K: the rest is vLLM's 400 both ways
    assertThat(live.requests().ok() + live.requests().rejectedContext()).isEqualTo(live.requests().total());
    assertThat(live.requests().rejectedContext()).isEqualTo(sim.requests().rejectedContext());
    // the router's x-poolbench-pool header attributes every live response to its pool
    assertThat(live.pools().get("short").requests().ok() + live.pools().get("long").requests().ok())
        .isEqualTo(live.requests().ok());
    assertThat(live.pools().get("long").requests().total()).isPositive();
    // the mock instances' /metrics were read: preemptions are counted, not assumed zero
    assertThat(live.preemptions()).isNotNull();
    assertThat(o.resolve("token-budget-live/engine-metrics.csv")).exists();
    // the load generator counted the engines it read per pool, behind the router
    assertThat(live.pools().get("short").instances()).isEqualTo(2);
    assertThat(live.pools().get("long").instances()).isEqualTo(1);
    // the in-process router's estimator was logged, as the simulator logs it
    var routing = io.poolbench.reports.rundir.RoutingLog.read(o.resolve("token-budget-live"));
    assertThat(routing).isNotNull();
    assertThat(routing.ratios()).isNotEmpty().allSatisfy(r -> assertThat(r.timeS())
        .isBetween(0.0, live.durationS() + 2));
    long estimates = 0;
    for (long c : routing.promptError().counts()) {
      estimates += c;
    }
    // one estimate per measured request served OK (the router records the error from the
    // response's usage before the last byte; the warm-up's are subtracted)
    assertThat(estimates).isEqualTo(live.requests().ok());
    // live and simulated runs are binned alike
    var liveInfo = RunDirectory.open(o.resolve("token-budget-live")).readRunInfo();
    var simInfo = RunDirectory.open(o.resolve("token-budget-sim")).readRunInfo();
    assertThat(liveInfo.config().get("hlog_interval_s"))
        .isEqualTo(simInfo.config().get("hlog_interval_s"));
  }

  @Test
  void sized_sizesEachModeForTheSloThenRunsItThere() throws Exception {
    Path o = dir.resolve("sized");
    assertThat(compare("--sim", "--sized", "--trace",
        "builtin:long-mix?rate=10&duration=20s&long-share=0.1", "-o", o.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    Summary single = RunDirectory.open(o.resolve("single-sim")).readSummary();
    Summary twoPool = RunDirectory.open(o.resolve("token-budget-sim")).readSummary();
    var singleInfo = RunDirectory.open(o.resolve("single-sim")).readRunInfo();
    var twoInfo = RunDirectory.open(o.resolve("token-budget-sim")).readRunInfo();
    // each mode ran at the fleet it was sized to, which met the SLO in the sizing search
    assertThat(((Number) singleInfo.config().get("gpus_needed")).intValue())
        .isEqualTo(single.gpus());
    assertThat(((Number) twoInfo.config().get("gpus_needed")).intValue())
        .isEqualTo(twoPool.gpus());
    assertThat(single.ttftMs().p99()).isLessThanOrEqualTo(2000);
    assertThat(twoPool.ttftMs().p99()).isLessThanOrEqualTo(2000);
    assertThat(out.toString()).contains("GPUs needed (sized")
        .containsPattern("single +" + single.gpus() + " GPUs")
        .containsPattern("token-budget +" + twoPool.gpus() + " GPUs +saving")
        .contains("GPU saving");
    assertThat(Files.readString(o.resolve("report/index.html")))
        .contains("GPUs needed (sized for the SLO)");
    assertThat(o.resolve("sizing/token-budget/two-pool/summary.json")).exists();
  }

  @Test
  void sized_withEqualGpus_isRejected() throws Exception {
    assertThat(compare("--sim", "--sized", "--equal-gpus", "--trace", "builtin:long-mix", "-o",
        dir.resolve("x").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--sized").contains("--equal-gpus");
  }

  @Test
  void assertSlo_missedSlo_exits3() throws Exception {
    Path o = dir.resolve("slo");
    assertThat(compare("--sim", "--modes", "single", "--slo-ttft-p99", "1ms", "--assert-slo",
        "--trace", "builtin:long-mix?rate=10&duration=10s", "-o", o.toString()))
        .isEqualTo(ExitCodes.ASSERTIONS_FAILED);
    assertThat(out.toString()).contains("SLO missed");
  }

  @Test
  void affinityModes_liveAndSimulated_raiseTheHitRateOnMultiTurnTraffic() throws Exception {
    Path o = dir.resolve("affinity");
    assertThat(compare("--also-sim", "--modes", "token-budget,token-budget+affinity", "--trace",
        "builtin:multi-turn?rate=2&duration=10s&turns=3&think-s=2&system-tokens=512&seed=4",
        "--max-output-tokens", "32", "-o", o.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    for (String kind : List.of("sim", "live")) {
      Summary plain = RunDirectory.open(o.resolve("token-budget-" + kind)).readSummary();
      Summary affinity = RunDirectory.open(o.resolve("token-budget+affinity-" + kind))
          .readSummary();
      String figures = kind + ": hit rate " + plain.prefixCache().hitRate() + " without, "
          + affinity.prefixCache().hitRate() + " with affinity";
      System.out.println("compare affinity: " + figures);
      assertThat(affinity.requests().ok()).as(figures).isEqualTo(plain.requests().ok())
          .isEqualTo(plain.requests().total()).isPositive();
      // two short engines: without affinity about half of the later turns land on the engine
      // that does not hold their history
      assertThat(affinity.prefixCache().hitRate()).as(figures)
          .isGreaterThan(plain.prefixCache().hitRate() + 0.05);
    }
    assertThat(out.toString()).contains("token-budget+affinity");
  }

  @Test
  void unknownModeSuffix_isExit2WithTheExpectedForm() throws Exception {
    assertThat(compare("--sim", "--modes", "token-budget+sticky", "--trace", "builtin:long-mix",
        "-o", dir.resolve("x").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("'token-budget+sticky'")
        .contains("<policy>+affinity");
  }

  @Test
  void unknownMode_isExit2NamingTheChoices() throws Exception {
    assertThat(compare("--sim", "--modes", "fastest", "--trace", "builtin:long-mix", "-o",
        dir.resolve("x").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("fastest");
  }
}
