package io.poolbench.harness.sim.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitter on runs the simulator itself produced: the hidden constants come back exactly. */
class CalibratorTest {

  private static final String SETTINGS = """
      model: llama-3-8b
      gpu: a100-80gb
      seed: 1
      pools:
        - name: pool
          instances: 2
          max-model-len: 8192
          max-num-seqs: 8
          max-num-batched-tokens: 2048
          num-gpu-blocks: 1024
      """;

  @TempDir Path dir;

  /** Poisson arrivals, prompts 50..3,050 tokens, outputs 2..81 tokens. */
  private static TraceSource trace(double rate, int requests, long seed) {
    return new TraceSource() {
      @Override
      public String name() {
        return "calibration-test";
      }

      @Override
      public Stream<TraceRequest> open() {
        SplittableRandom random = new SplittableRandom(seed);
        long[] at = {0};
        return Stream.generate(() -> {
          at[0] += (long) (-Math.log1p(-random.nextDouble()) / rate * 1e9);
          return TraceRequest.of(at[0], 50 + random.nextInt(3000), 2 + random.nextInt(80));
        }).limit(requests);
      }
    };
  }

  private Path simulatedRun(String perf, double rate) {
    Fleet hidden = FleetConfigs.resolve(FleetConfigs.parse(perf + SETTINGS, "hidden"));
    Path run = dir.resolve("run");
    Simulation.run(hidden, trace(rate, 1200, 7), run, Simulation.Options.defaults());
    return run;
  }

  private static Replay replay(Path run, String perf) {
    Fleet start = FleetConfigs.resolve(FleetConfigs.parse(perf + SETTINGS, "start"));
    return new Replay(RecordedRun.load(run), start.pools());
  }

  @Test
  void affine_recoversHiddenWandH_fromTheCatalogDefault() {
    Path run = simulatedRun("affine: {w-ms: 14, h-ms: 1.1}\n", 16);
    Calibration c = new Calibrator(replay(run, ""), Calibrator.Kind.AFFINE, 0.5).fit();
    System.out.println("affine fit: " + c.values() + " before " + c.before() + " after "
        + c.after() + " evaluations " + c.evaluations());

    assertThat(c.used()).isEqualTo(1200);
    assertThat(c.start()).isEqualTo(AffinePerfModel.PAPER_LLAMA70B_A100);
    assertThat(c.values().get("w-ms")).isCloseTo(14.0, within(14.0 * 0.005));
    assertThat(c.values().get("h-ms")).isCloseTo(1.1, within(1.1 * 0.01));
    assertThat(c.after().e2eMaePct()).isLessThan(0.5);
    assertThat(c.after().ttftMaePct()).isLessThan(1.0);
    assertThat(c.before().e2eMaePct()).isGreaterThan(20);
    assertThat(c.after().quantile("E2E", 99).errorPct()).isBetween(-0.5, 0.5);
    assertThat(c.perfBlock()).startsWith("perf-model: affine").contains("w-ms: 14.0");
    // the printed block resolves to the fitted model
    Fleet pasted = FleetConfigs.resolve(FleetConfigs.parse(c.perfBlock() + SETTINGS, "pasted"));
    assertThat(pasted.pools().get(0).perf().describe()).isEqualTo(c.fitted().describe());
  }

  /**
   * The roofline's overhead and memory efficiency trade off along a shallow valley (a decode step
   * is overhead + weights / bandwidth, the KV term is small beside the weights), so the test holds
   * the replay to the run, not each constant to its hidden value.
   */
  @Test
  void roofline_reproducesTheRun() {
    String hidden = "perf-model: roofline\n"
        + "roofline: {compute-efficiency: 0.45, memory-efficiency: 0.65, overhead-ms: 2.5}\n";
    Path run = simulatedRun(hidden, 6);
    Calibration c = new Calibrator(replay(run, "perf-model: roofline\n"),
        Calibrator.Kind.ROOFLINE, 0.5).fit();
    System.out.println("roofline fit: " + c.values() + " before " + c.before() + " after "
        + c.after() + " evaluations " + c.evaluations());

    assertThat(c.values().get("memory-efficiency")).isCloseTo(0.65, within(0.65 * 0.15));
    assertThat(c.values().get("compute-efficiency")).isCloseTo(0.45, within(0.45 * 0.05));
    assertThat(c.after().e2eMaePct()).isLessThan(2.0);
    assertThat(c.after().ttftMaePct()).isLessThan(5.0);
    assertThat(c.after().objective()).isLessThan(c.before().objective() / 10);
    Fleet pasted = FleetConfigs.resolve(FleetConfigs.parse(c.perfBlock() + SETTINGS, "pasted"));
    assertThat(pasted.pools().get(0).perf().describe()).isEqualTo(c.fitted().describe());
  }

  @Test
  void badInputs_nameTheProblem() throws Exception {
    assertThatThrownBy(() -> RecordedRun.load(dir)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("Not a run directory: " + dir);
    Path run = simulatedRun("", 4);
    assertThatThrownBy(() -> new Replay(RecordedRun.load(run), FleetConfigs.resolve(
        FleetConfigs.parse(SETTINGS.replace("instances: 2", "instances: 1"), "one")).pools()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("instance 1 of pool 'pool'");
    // a run whose rows are all errors
    Path empty = dir.resolve("empty");
    Fleet tiny = FleetConfigs.resolve(FleetConfigs.parse(SETTINGS.replace("8192", "16")
        .replace("num-gpu-blocks: 1024", "num-gpu-blocks: 64"), "tiny"));
    Simulation.run(tiny, trace(4, 20, 1), empty, Simulation.Options.defaults());
    assertThat(Files.exists(empty.resolve(RunDirectory.REQUESTS_CSV_GZ))).isTrue();
    assertThatThrownBy(() -> RecordedRun.load(empty)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("no ok request");
  }
}
