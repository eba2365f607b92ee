package io.poolbench.harness.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.fleet.FaultSetup;
import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RequestLogReader;
import io.poolbench.reports.rundir.RequestRow;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunRecorder;
import io.poolbench.reports.rundir.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSimulatorTest {

  @TempDir Path tmp;

  static PoolSetup pool(String name, int instances, int maxModelLen, int seqs, int blocks,
      int queueCap) {
    EngineConfig config = EngineConfig.of(maxModelLen, seqs, 2048, blocks)
        .withMaxQueuedRequests(queueCap);
    return new PoolSetup(name, instances, 1, config, AffinePerfModel.PAPER_LLAMA70B_A100,
        "a100-80gb", 2.21, Map.of());
  }

  private Summary simulate(Path dir, List<PoolSetup> pools, FaultSetup faults,
      SyntheticSource source, long seed) {
    return simulate(dir, pools, faults, source, seed, 0.85);
  }

  private Summary simulate(Path dir, List<PoolSetup> pools, FaultSetup faults,
      SyntheticSource source, long seed, double spill) {
    return simulate(dir, pools, faults, source, seed, spill, true);
  }

  private long timeoutNanos;

  private Summary simulate(Path dir, List<PoolSetup> pools, FaultSetup faults,
      SyntheticSource source, long seed, double spill, boolean fastForward) {
    RunDirectory run = RunDirectory.create(dir);
    RunRecorder recorder = new RunRecorder(run, pools.stream().map(PoolSetup::name).toList(),
        pools.stream().mapToInt(PoolSetup::gpus).toArray(),
        pools.stream().mapToInt(PoolSetup::instances).toArray(), new Summary.Slo(2000, 80),
        10_000_000_000L, 0);
    Fleet fleet = new Fleet(null, pools, "token-budget", pools.get(0).engine().maxModelLen(),
        spill < 5, spill < 5 ? spill : 0.85, "least-requests", faults, seed, true, List.of(),
        timeoutNanos);
    FleetSimulator sim = new FleetSimulator(pools, Routings.create(fleet), recorder, faults, true,
        seed);
    if (!fastForward) {
      sim.withoutFastForward();
    }
    sim.withClientTimeout(timeoutNanos);
    FleetSimulator.Result result = sim.run(source);
    assertThat(sim.inFlight()).isZero();
    return recorder.finish(result.endNanos());
  }

  private static List<PoolSetup> stressedFleet() {
    return List.of(pool("short", 3, 1024, 8, 128, 4), pool("long", 2, 4096, 4, 300, 0));
  }

  @Test
  void everyArrival_endsInExactlyOneOutcome() throws IOException {
    FaultSetup faults = new FaultSetup(20_000_000_000L, 2_000_000_000L,
        List.of(new FaultSetup.At(5_000_000_000L, 1, 0)));
    int n = 4000;
    Summary s = simulate(tmp.resolve("a"), stressedFleet(), faults,
        new SyntheticSource(40, n, 4300, 1200, 3), 11, 10.0);
    assertThat(s.requests().total()).isEqualTo(n);
    try (Stream<RequestRow> rows =
        RequestLogReader.read(tmp.resolve("a").resolve(RunDirectory.REQUESTS_CSV_GZ))) {
      long[] seen = new long[n];
      rows.forEach(r -> seen[(int) r.id()]++);
      assertThat(seen).containsOnly(1L);
    }
    // the stress produced every kind of ending this fleet can produce
    assertThat(s.requests().ok()).isPositive();
    assertThat(s.requests().rejectedContext()).isPositive();
    assertThat(s.requests().rejectedOverload()).isPositive();
    assertThat(s.requests().engineFailure()).isPositive();
    assertThat(s.requests().transportError() + s.requests().ok()
        + s.requests().rejectedContext() + s.requests().rejectedOverload()
        + s.requests().engineFailure()).isEqualTo(n);
    assertThat(s.misroutes()).isPositive();
    assertThat(s.preemptions()).isPositive();
  }

  @Test
  void sameSeed_sameRun() throws IOException {
    FaultSetup faults = new FaultSetup(30_000_000_000L, 1_000_000_000L, List.of());
    simulate(tmp.resolve("a"), stressedFleet(), faults, new SyntheticSource(30, 1500, 3000, 800,
        5), 99);
    simulate(tmp.resolve("b"), stressedFleet(), faults, new SyntheticSource(30, 1500, 3000, 800,
        5), 99);
    assertThat(Files.readString(tmp.resolve("a").resolve(RunDirectory.SUMMARY_JSON)))
        .isEqualTo(Files.readString(tmp.resolve("b").resolve(RunDirectory.SUMMARY_JSON)));
    try (Stream<RequestRow> a = RequestLogReader.read(tmp.resolve("a")
        .resolve(RunDirectory.REQUESTS_CSV_GZ));
        Stream<RequestRow> b = RequestLogReader.read(tmp.resolve("b")
            .resolve(RunDirectory.REQUESTS_CSV_GZ))) {
      assertThat(a.toList()).isEqualTo(b.toList());
    }
    simulate(tmp.resolve("c"), stressedFleet(), faults, new SyntheticSource(30, 1500, 3000, 800,
        5), 100);
    assertThat(Files.readString(tmp.resolve("c").resolve(RunDirectory.SUMMARY_JSON)))
        .isNotEqualTo(Files.readString(tmp.resolve("a").resolve(RunDirectory.SUMMARY_JSON)));
  }

  @Test
  void decodeRuns_giveExactlyTheResultsOfSteppingOneByOne() throws IOException {
    List<PoolSetup> fleet = List.of(pool("short", 3, 8192, 32, 4000, 0),
        pool("long", 2, 65536, 8, 8192, 0));
    FaultSetup faults = new FaultSetup(0, 1_000_000_000L,
        List.of(new FaultSetup.At(20_000_000_000L, 0, 1)));
    SyntheticSource trace = new SyntheticSource(12, 1500, 12000, 900, 8);
    simulate(tmp.resolve("ff"), fleet, faults, trace, 3, 0.85, true);
    simulate(tmp.resolve("steps"), fleet, faults, trace, 3, 0.85, false);
    assertThat(Files.readString(tmp.resolve("ff").resolve(RunDirectory.SUMMARY_JSON)))
        .isEqualTo(Files.readString(tmp.resolve("steps").resolve(RunDirectory.SUMMARY_JSON)));
    try (Stream<RequestRow> a = RequestLogReader.read(tmp.resolve("ff")
        .resolve(RunDirectory.REQUESTS_CSV_GZ));
        Stream<RequestRow> b = RequestLogReader.read(tmp.resolve("steps")
            .resolve(RunDirectory.REQUESTS_CSV_GZ))) {
      assertThat(a.toList()).isEqualTo(b.toList());
    }
  }

  @Test
  void clientTimeout_abortsSlowRequestsOnceAndFreesTheirBlocks() throws IOException {
    timeoutNanos = 5_000_000_000L;
    List<PoolSetup> fleet = List.of(pool("short", 1, 8192, 8, 2000, 0),
        pool("long", 1, 65536, 4, 8192, 0));
    int n = 600;
    Summary s = simulate(tmp.resolve("t"), fleet, FaultSetup.NONE,
        new SyntheticSource(20, n, 6000, 600, 4), 2, 0.85, true);
    Summary steps = simulate(tmp.resolve("t2"), fleet, FaultSetup.NONE,
        new SyntheticSource(20, n, 6000, 600, 4), 2, 0.85, false);
    assertThat(s.requests().total()).isEqualTo(n);
    assertThat(s.requests().timeout()).isPositive();
    assertThat(s.requests().ok() + s.requests().timeout()).isEqualTo(n);
    assertThat(s.e2eMs().max()).isLessThanOrEqualTo(5000.0);
    assertThat(Files.readString(tmp.resolve("t").resolve(RunDirectory.SUMMARY_JSON)))
        .isEqualTo(Files.readString(tmp.resolve("t2").resolve(RunDirectory.SUMMARY_JSON)));
    assertThat(steps.requests().timeout()).isEqualTo(s.requests().timeout());
  }

  @Test
  void lightLoad_everythingCompletesWithoutPreemption() {
    List<PoolSetup> fleet = List.of(pool("short", 2, 8192, 128, 65536, 0),
        pool("long", 1, 65536, 16, 65536, 0));
    Summary s = simulate(tmp.resolve("a"), fleet, FaultSetup.NONE,
        new SyntheticSource(5, 500, 4000, 300, 1), 1);
    assertThat(s.requests().ok()).isEqualTo(500);
    assertThat(s.preemptions()).isZero();
    assertThat(s.pools().get("short").requests().total()).isEqualTo(500);
    assertThat(s.ttftMs().p99()).isLessThan(2000);
    assertThat(s.categories()).containsKeys("code", "prose");
    assertThat(s.requests().of(OutcomeKind.NOT_SENT)).isZero();
  }
}
