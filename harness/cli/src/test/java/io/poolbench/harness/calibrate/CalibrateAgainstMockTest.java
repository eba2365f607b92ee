package io.poolbench.harness.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.sim.calibrate.Calibration;
import io.poolbench.harness.sim.calibrate.Calibrator;
import io.poolbench.harness.sim.calibrate.RecordedRun;
import io.poolbench.harness.sim.calibrate.Replay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The acceptance check of {@code calibrate}: a live mock instance with hidden affine constants
 * (W = 10 ms, H = 4 ms at 8K, 8 sequences at most so that requests queue at times) is measured
 * by the load generator over real loopback HTTP; calibrating from that run directory, starting
 * from the catalog default (8 ms / 0.65 ms), recovers the constants and the replay reproduces
 * the run.
 */
class CalibrateAgainstMockTest {

  private static final String SETTINGS = """
      model: llama-3-8b
      gpu: a100-80gb
      seed: 1
      pools:
        - name: pool
          instances: 1
          max-model-len: 8192
          max-num-seqs: 8
          max-num-batched-tokens: 2048
          num-gpu-blocks: 1024
      """;

  /**
   * The hidden constants. H is chosen so that the per-sequence term is close to half of a full
   * step (8 sequences of ~2K tokens: 8 × 2/8 × 4 ms ≈ 8 ms beside W = 10 ms): with H at a tenth
   * of the step, a shared machine's oversleep of a few hundred microseconds per step moved H by
   * over 10%.
   */
  private static final double W_MS = 10;
  private static final double H_MS = 4;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int cli(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void liveMockRun_calibratesBackToTheHiddenConstants() throws Exception {
    Fleet hidden = FleetConfigs.resolve(FleetConfigs.parse(
        "affine: {w-ms: " + W_MS + ", h-ms: " + H_MS + ", ref-context: 8192}\n" + SETTINGS, "hidden"));
    List<InstanceSpec> specs = new ArrayList<>();
    for (PoolSetup pool : hidden.pools()) {
      specs.add(new InstanceSpec(pool.name(), 0, "llama-3-8b", pool.engine(), pool.perf(), 0));
    }
    Path run = dir.resolve("live");
    try (MockServer mock = MockServer.start(MockSettings.defaults(), specs, line -> { })) {
      String target = mock.instances().get(0).url();
      assertThat(cli("loadgen", "--status-interval", "0s", "--target", target, "--trace",
          "builtin:azure-code?rate=3&duration=30s&seed=5", "--max-output-tokens", "64", "-o",
          run.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    }
    Fleet start = FleetConfigs.resolve(FleetConfigs.parse(SETTINGS, "start"));
    Calibration c = new Calibrator(new Replay(RecordedRun.load(run), start.pools()),
        Calibrator.Kind.AFFINE, Calibrator.DEFAULT_TTFT_WEIGHT).fit();
    // the live run's own noise floor: the replay with the hidden constants themselves (HTTP,
    // tokenization and a shared machine's scheduling delays are in the run, not in the model)
    Calibration truth = new Calibrator(new Replay(RecordedRun.load(run), hidden.pools()),
        Calibrator.Kind.AFFINE, Calibrator.DEFAULT_TTFT_WEIGHT).fit();
    String figures = c.values() + " used " + c.used() + "/" + c.rows() + " before " + c.before()
        + " after " + c.after() + " replay with the hidden constants " + truth.before();
    System.out.println("calibrate vs mock: " + figures);

    assertThat(c.used()).as(figures).isGreaterThan(80);
    // The fit must explain the run at least as well as the hidden constants do: that is what
    // calibration is for. The constants themselves are recovered only as far as the run's own
    // noise lets the data tell them apart: W and H trade along a shallow valley (a shared
    // machine's oversleep per step reads as extra W), and fits of W 10.71 / H 3.36 (CI, objective
    // 0.160 against the truth's 0.175) and W 11.26 / H 2.95 (0.163 against 0.189) explained their
    // runs better than the truth. What the run pins down is the full step: W + 8 x 2/8 x H (8
    // sequences of ~2K tokens), within 10%; each constant on its own within 15% / 35% (the start
    // is W 8, H 0.65, six times off).
    assertThat(c.after().objective()).as(figures)
        .isLessThanOrEqualTo(truth.before().objective() * 1.02);
    double fullStep = c.values().get("w-ms") + 2 * c.values().get("h-ms");
    assertThat(fullStep).as("full step; " + figures)
        .isBetween((W_MS + 2 * H_MS) * 0.90, (W_MS + 2 * H_MS) * 1.10);
    assertThat(c.values().get("w-ms")).as(figures).isBetween(W_MS * 0.85, W_MS * 1.15);
    assertThat(c.values().get("h-ms")).as(figures).isBetween(H_MS * 0.65, H_MS * 1.35);
    // the brief's targets (E2E 5%, TTFT 10%), or no worse than the hidden constants do on a
    // noisier machine
    assertThat(c.after().e2eMaePct()).as(figures)
        .isLessThan(Math.max(5, truth.before().e2eMaePct() + 0.5));
    assertThat(c.after().ttftMaePct()).as(figures)
        .isLessThan(Math.max(10, truth.before().ttftMaePct() + 1));
    for (String metric : List.of("TTFT", "TPOT", "E2E")) {
      double floor = Math.abs(truth.before().quantile(metric, 99).errorPct());
      assertThat(Math.abs(c.after().quantile(metric, 99).errorPct())).as(metric + " p99; "
          + figures).isLessThan(Math.max(10, floor + 2));
    }

    // the command on the same run directory prints and writes the same fit
    Path fleetFile = Files.writeString(dir.resolve("fleet.yaml"), SETTINGS);
    Path perf = dir.resolve("perf.yaml");
    assertThat(cli("calibrate", run.toString(), "--fleet", fleetFile.toString(), "-o",
        perf.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    System.out.println(out);
    assertThat(out.toString()).contains("affine fit from " + c.used()).contains("w-ms = ");
    assertThat(Files.readString(perf)).isEqualTo(c.perfBlock());
  }
}
