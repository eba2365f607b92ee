package io.poolbench.harness.fidelity;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One engine model: the same trace through the live mock fleet (real HTTP, real clock, the load
 * generator) and through the simulator (virtual time), with the same fleet file, must agree:
 * TTFT and E2E p50 within 10%, p99 within 20%, and the same rejections.
 */
class LiveVsSimulatedTest {

  // Steps of 80 ms + 4 ms per 8K tokens of context: long enough that HTTP, tokenization and
  // scheduling overheads of a shared 2-core machine (a few ms per request) stay small beside them.
  private static final String FLEET = """
      name: fidelity
      model: llama-3-8b
      gpu: a100-80gb
      perf-model: affine
      affine: {w-ms: 80, h-ms: 4, ref-context: 8192}
      seed: 1
      pools:
        - name: single
          instances: 2
          max-model-len: 4096
          max-num-seqs: 16
          max-num-batched-tokens: 2048
          num-gpu-blocks: 4096
      routing:
        policy: single
        instance-picker: round-robin
      """;
  private static final String[] TRACE = {"--trace", "builtin:azure-conv?rate=6&duration=40s&seed=4",
      "--max-output-tokens", "24"};

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int cli(List<String> args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  @Test
  void liveMockFleet_andSimulator_agreeOnTheSameTrace() throws Exception {
    Path fleetFile = Files.writeString(dir.resolve("fleet.yaml"), FLEET);
    Path sim = dir.resolve("sim");
    List<String> simArgs = new ArrayList<>(List.of("simulate", "--fleet", fleetFile.toString()));
    simArgs.addAll(List.of(TRACE));
    simArgs.addAll(List.of("-o", sim.toString()));
    assertThat(cli(simArgs)).as(err.toString()).isEqualTo(ExitCodes.OK);

    Fleet fleet = FleetConfigs.resolve(FleetConfigs.load(fleetFile));
    List<InstanceSpec> specs = new ArrayList<>();
    for (PoolSetup pool : fleet.pools()) {
      for (int i = 0; i < pool.instances(); i++) {
        specs.add(new InstanceSpec(pool.name(), i, "llama-3-8b", pool.engine(), pool.perf(), 0));
      }
    }
    Path live = dir.resolve("live");
    try (MockServer mock = MockServer.start(MockSettings.defaults(), specs, line -> { })) {
      String targets = mock.instances().stream().map(i -> i.url()).collect(Collectors.joining(","));
      // warm both JVM sides up first (JIT, tokenizer tables, connections): a discarded short run
      assertThat(cli(List.of("loadgen", "--status-interval", "0s", "--target", targets, "--trace",
          "builtin:azure-conv?rate=10&duration=5s&seed=99", "--max-output-tokens", "8", "-o",
          dir.resolve("warmup").toString()))).as(err.toString()).isEqualTo(ExitCodes.OK);
      Thread.sleep(500);
      List<String> liveArgs = new ArrayList<>(List.of("loadgen", "--status-interval", "0s",
          "--target", targets));
      liveArgs.addAll(List.of(TRACE));
      liveArgs.addAll(List.of("-o", live.toString()));
      assertThat(cli(liveArgs)).as(err.toString()).isEqualTo(ExitCodes.OK);
    }

    Summary s = RunDirectory.open(sim).readSummary();
    Summary l = RunDirectory.open(live).readSummary();
    String figures = String.format(Locale.US,
        "TTFT p50 sim %.1f live %.1f; p99 sim %.1f live %.1f; E2E p50 sim %.1f live %.1f; "
            + "p99 sim %.1f live %.1f; rejected sim %d live %d",
        s.ttftMs().p50(), l.ttftMs().p50(), s.ttftMs().p99(), l.ttftMs().p99(), s.e2eMs().p50(),
        l.e2eMs().p50(), s.e2eMs().p99(), l.e2eMs().p99(), s.requests().rejectedContext(),
        l.requests().rejectedContext());
    System.out.println("fidelity: " + figures);
    assertThat(l.requests().total()).isEqualTo(s.requests().total());
    assertThat(l.requests().rejectedContext()).as(figures).isEqualTo(s.requests().rejectedContext())
        .isPositive();
    assertThat(l.requests().ok()).as(figures).isEqualTo(s.requests().ok());
    within(figures, "TTFT p50", l.ttftMs(), s.ttftMs(), LatencySummary::p50, 0.10);
    within(figures, "E2E p50", l.e2eMs(), s.e2eMs(), LatencySummary::p50, 0.10);
    within(figures, "TTFT p99", l.ttftMs(), s.ttftMs(), LatencySummary::p99, 0.20);
    within(figures, "E2E p99", l.e2eMs(), s.e2eMs(), LatencySummary::p99, 0.20);
  }

  private static void within(String figures, String what, LatencySummary live, LatencySummary sim,
      java.util.function.ToDoubleFunction<LatencySummary> f, double tolerance) {
    double l = f.applyAsDouble(live);
    double s = f.applyAsDouble(sim);
    assertThat(Math.abs(l - s) / s).as(what + " relative difference; " + figures).isLessThanOrEqualTo(tolerance);
  }
}
