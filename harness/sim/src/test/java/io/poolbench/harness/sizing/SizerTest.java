package io.poolbench.harness.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizerTest {

  @TempDir Path tmp;

  private static final Summary.Slo SLO = new Summary.Slo(2000, 80);

  private static FleetConfig.Pool pool(String name, int maxLen, int seqs) {
    return new FleetConfig.Pool(name, 1, 1, 1, maxLen, seqs, 8192, 65536, 0);
  }

  private static FleetConfig fleet(List<FleetConfig.Pool> pools, String policy) {
    return new FleetConfig("t", "llama-3-70b", "a100-80gb", null, "affine", null, 0.9, null,
        pools, new FleetConfig.Routing(policy, null, true, 0.85, "least-requests"), null, 1L,
        true, null);
  }

  private boolean meets(FleetConfig config, List<Integer> instances, TraceSource trace) {
    List<FleetConfig.Pool> pools = new java.util.ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      pools.add(config.pools().get(i).withInstances(instances.get(i)));
    }
    Summary s = Simulation.run(FleetConfigs.resolve(config.withPools(pools)), trace,
        tmp.resolve("check-" + instances), Simulation.Options.defaults()).summary();
    long failed = s.requests().total() - s.requests().ok() - s.requests().rejectedContext();
    return s.ttftMs().p99() <= SLO.ttftMs() && s.tpotMs().p99() <= SLO.tpotMs()
        && failed <= 0.001 * s.requests().total();
  }

  @Test
  void size_returnsTheSmallestFleetsThatMeetTheSlo() {
    TraceSource trace = BuiltinWorkloads.open("long-mix?rate=12&duration=60s&seed=5");
    FleetConfig homogeneous = fleet(List.of(pool("homogeneous", 65536, 16)), "single");
    FleetConfig twoPool = fleet(List.of(pool("short", 8192, 128), pool("long", 65536, 16)),
        "token-budget");
    Sizer.Result r = Sizer.size(homogeneous, twoPool, trace,
        new Sizer.Settings(SLO, 0.001, CostModel.HOURS_PER_YEAR, 300, tmp.resolve("work"), 500));

    assertThat(r.alpha()).isBetween(0.0, 1.0);
    assertThat(r.homogeneous().meetsSlo()).isTrue();
    assertThat(r.twoPool().meetsSlo()).isTrue();
    int homo = r.homogeneous().instances().get(0);
    int shortN = r.twoPool().instances().get(0);
    int longN = r.twoPool().instances().get(1);
    assertThat(homo).as("the trace must need more than one instance").isGreaterThan(1);
    assertThat(meets(homogeneous, List.of(homo - 1), trace)).isFalse();
    if (shortN > 1) {
      assertThat(meets(twoPool, List.of(shortN - 1, longN), trace)).isFalse();
    }
    if (longN > 1) {
      assertThat(meets(twoPool, List.of(shortN, longN - 1), trace)).isFalse();
    }
    assertThat(r.savingsGpus()).isEqualTo(r.homogeneous().gpus() - r.twoPool().gpus());
    assertThat(r.closedFormSavings())
        .isEqualTo(CostModel.closedFormSavings(r.alpha(), r.rho()));
  }

  @Test
  void closedForm_matchesThePapersExamples() {
    assertThat(CostModel.closedFormSavings(0.8, 4)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(CostModel.instancesFor(1000, 2.8)).isEqualTo(358);
    // 480 MI300X GPUs saved at $3.67/h over 8,760 h: the papers' $15.4M.
    assertThat(CostModel.dollarsPerYear(480, 3.67, 8760)).isBetween(15.4e6, 15.45e6);
  }
}
