package io.poolbench.reports.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.reports.RunFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @TempDir Path tmp;

  private RunData load(String name, RunFixtures.Spec spec) {
    return RunLoader.load(RunFixtures.write(tmp.resolve(name), spec).dir());
  }

  @Test
  void labels_defaultToPolicy() {
    Report r = Report.of(List.of(load("a", RunFixtures.Spec.single(20)),
        load("b", RunFixtures.Spec.twoPool(20))), null, null);
    assertThat(r.runs()).extracting(ModeRun::name).containsExactly("single", "token-budget");
    assertThat(r.runs()).extracting(ModeRun::index).containsExactly(0, 1);
  }

  @Test
  void labels_sameLabelAndMode_getTheDirectoryName() {
    Report r = Report.of(List.of(load("rate10", RunFixtures.Spec.twoPool(20)),
        load("rate20", RunFixtures.Spec.twoPool(20))), null, null);
    assertThat(r.runs()).extracting(ModeRun::name)
        .containsExactly("token-budget (rate10)", "token-budget (rate20)");
  }

  @Test
  void labels_mixedRunModes_carryTheModeAndPairLiveWithSimulated() {
    Report r = Report.of(List.of(load("live", RunFixtures.Spec.twoPool(20).withMode("loadgen")),
        load("sim", RunFixtures.Spec.twoPool(20)), load("one", RunFixtures.Spec.single(20))),
        null, null);
    assertThat(r.runs()).extracting(ModeRun::name).containsExactly(
        "token-budget · loadgen", "token-budget · simulate", "single · simulate");
    assertThat(r.liveVsSimulated()).hasSize(1);
    assertThat(r.liveVsSimulated().get(0)[0].mode()).isEqualTo("loadgen");
    assertThat(r.liveVsSimulated().get(0)[1].mode()).isEqualTo("simulate");
  }

  @Test
  void labels_givenByUser_overrideAndMustMatchTheRunCount() {
    List<RunData> data = List.of(load("a", RunFixtures.Spec.single(20)),
        load("b", RunFixtures.Spec.twoPool(20)));
    assertThat(Report.of(data, List.of("before", "after"), null).runs())
        .extracting(ModeRun::name).containsExactly("before", "after");
    assertThatThrownBy(() -> Report.of(data, List.of("x"), null))
        .isInstanceOf(RunLoadException.class)
        .hasMessage("--label needs one label per run directory: got 1 labels for 2 directories");
  }

  @Test
  void cost_twoPoolAgainstSingle_matchesTheClosedFormAndGpuCounts() {
    RunFixtures.Written two = RunFixtures.write(tmp.resolve("two"),
        RunFixtures.Spec.twoPool(400));
    Report r = Report.of(List.of(load("one", RunFixtures.Spec.single(400)),
        RunLoader.load(two.dir())), null, null);

    List<CostComparison> cs = r.costComparisons();

    assertThat(cs).hasSize(1);
    CostComparison c = cs.get(0);
    assertThat(c.baseline().name()).isEqualTo("single");
    assertThat(c.budgetTokens()).isEqualTo(8192);
    assertThat(c.alpha()).isCloseTo(two.within8k() / 400.0, within(1e-12));
    assertThat(c.routedShortShare()).isCloseTo(two.perPool()[0] / 400.0, within(1e-12));
    assertThat(c.rho()).isEqualTo(8.0);
    assertThat(c.closedForm()).isCloseTo(c.alpha() * (1 - 1 / 8.0), within(1e-12));
    assertThat(c.gpuSaving()).isCloseTo(1 - 8 / 10.0, within(1e-12)); // 8 GPUs vs 10
    assertThat(c.dollarsPerYearSaved()).isCloseTo(2 * 2.0 * 8760, within(1e-6));
  }

  @Test
  void cost_withoutBaselineOrPrice_leavesThoseFiguresNull() {
    Report r = Report.of(List.of(load("two", RunFixtures.Spec.twoPool(30).withoutPrice())),
        null, null);
    CostComparison c = r.costComparisons().get(0);
    assertThat(c.baseline()).isNull();
    assertThat(c.gpuSaving()).isNull();
    assertThat(c.dollarsPerYearSaved()).isNull();
    assertThat(c.alpha()).isNotNull();
  }
}
