package io.poolbench.reports.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.RunFixtures;
import io.poolbench.reports.rundir.Summary;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictTest {

  @TempDir Path tmp;

  private RunData load(String name, RunFixtures.Spec spec) {
    return RunLoader.load(RunFixtures.write(tmp.resolve(name), spec).dir());
  }

  private static String gain(RunData best, RunData baseline) {
    return String.format(Locale.US, "%+.1f%%", 100 * (best.summary().goodputPerGpu()
        / baseline.summary().goodputPerGpu() - 1));
  }

  @Test
  void twoPoolWithMoreGoodputPerGpu_bothMeetingTheSlo_isTheHeadline() {
    RunData one = load("one", RunFixtures.Spec.single(300));
    RunData two = load("two", RunFixtures.Spec.twoPool(300)); // 8 GPUs against 10
    Report r = Report.of(List.of(one, two), null, null);

    Verdict v = r.verdict();

    assertThat(v.lines()).hasSize(1);
    Verdict.Line l = v.lines().get(0);
    assertThat(l.best().name()).isEqualTo("token-budget");
    assertThat(l.baseline().name()).isEqualTo("single");
    assertThat(l.gain()).isGreaterThan(0.2); // same requests served on 8 GPUs instead of 10
    assertThat(l.text()).isEqualTo("token-budget: " + gain(two, one)
        + " goodput per GPU vs single, both meet P99 TTFT 2 s / TPOT 80 ms");
  }

  @Test
  void bestRunMissingTheSlo_saysSoAndNamesTheRunThatMeetsIt() {
    // the long pool adds 100 ms to TTFT, so at a 100 ms SLO only the one-pool run meets it
    RunData one = load("one", RunFixtures.Spec.single(300).withSlo(100, 80));
    RunData two = load("two", RunFixtures.Spec.twoPool(300).withSlo(100, 80));
    assertThat(Verdict.sloMet(one.summary())).isTrue();
    assertThat(Verdict.sloMet(two.summary())).isFalse();
    Report r = Report.of(List.of(one, two), null, null);

    String text = r.verdict().lines().get(0).text();

    assertThat(text).startsWith("token-budget: " + gain(two, one) + " goodput per GPU vs single, "
        + "but misses P99 TTFT 100 ms / TPOT 80 ms (TTFT p99 ")
        .endsWith(" ms); single meets it");
  }

  @Test
  void baselineBest_andMixedRunModes_giveOneLinePerRunMode() {
    RunData simOne = load("sim-one", RunFixtures.Spec.single(300).withGpus(4));
    RunData simTwo = load("sim-two", RunFixtures.Spec.twoPool(300));
    RunData liveOne = load("live-one", RunFixtures.Spec.single(300).withMode("loadgen"));
    RunData liveTwo = load("live-two", RunFixtures.Spec.twoPool(300).withMode("loadgen")
        .withSlo(100, 80));
    Report r = Report.of(List.of(simOne, simTwo, liveOne, liveTwo), null, null);

    List<Verdict.Line> lines = r.verdict().lines();

    assertThat(lines).extracting(Verdict.Line::runMode).containsExactly("simulate", "loadgen");
    // simulated: the one-pool run has 4 GPUs against 8, so it leads
    assertThat(lines.get(0).text()).isEqualTo("Simulated: single: the most goodput per GPU, "
        + gain(simOne, simTwo) + " over token-budget, both meet P99 TTFT 2 s / TPOT 80 ms");
    // live: the two runs were judged against different SLOs, each is named with its own
    assertThat(lines.get(1).text()).isEqualTo("Live: token-budget: " + gain(liveTwo, liveOne)
        + " goodput per GPU vs single, single meets P99 TTFT 2 s / TPOT 80 ms; token-budget "
        + "misses P99 TTFT 100 ms / TPOT 80 ms");
  }

  @Test
  void oneRun_statesItsGoodputAndSlo() {
    RunData one = load("one", RunFixtures.Spec.single(100).withSlo(1500, 10.5));
    Report r = Report.of(List.of(one), null, null);

    String text = r.verdict().lines().get(0).text();

    assertThat(text).isEqualTo(String.format(Locale.US,
        "single: %.4f req/s goodput per GPU, misses P99 TTFT 1.5 s / TPOT 10.5 ms (TPOT p99 %s ms)",
        one.summary().goodputPerGpu(), ValueKind.MILLIS.format(one.summary().tpotMs().p99())));
  }

  @Test
  void sloFormatting_secondsAndMilliseconds() {
    assertThat(Verdict.slo(new Summary.Slo(2000, 80))).isEqualTo("P99 TTFT 2 s / TPOT 80 ms");
    assertThat(Verdict.slo(new Summary.Slo(250, 1000))).isEqualTo("P99 TTFT 250 ms / TPOT 1 s");
    assertThat(Verdict.goodputSlo(new Summary.Slo(2500, 75.5)))
        .isEqualTo("within TTFT 2.5 s, TPOT 75.5 ms");
  }
}
