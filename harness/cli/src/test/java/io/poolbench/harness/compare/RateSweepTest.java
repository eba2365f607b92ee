package io.poolbench.harness.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.RequestCounts;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.reports.sweep.SweepResult;
import io.poolbench.traces.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateSweepTest {
  private static final Summary.Slo SLO = new Summary.Slo(2000, 80);

  private static Summary summary(long total, long ok, double ttftP99, double tpotP99,
      double goodput) {
    LatencySummary ttft = new LatencySummary(ok, 0, 0, 0, ttftP99, ttftP99, ttftP99);
    LatencySummary tpot = new LatencySummary(ok, 0, 0, 0, tpotP99, tpotP99, tpotP99);
    LatencySummary none = new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    return new Summary(new RequestCounts(total, ok, 0, 0, total - ok, 0, 0, 0, 0), ttft, tpot,
        tpot, ttft, none, 10, total / 10.0, 4, 2, goodput, goodput / 4, 0, null, null, null, null,
        null, null, 0, 0, SLO, null, null, null, null, null);
  }

  @Test
  void evaluate_meetsTheSloOnlyWithinBothTailsAndOnePercentFailed() {
    SweepResult.Point ok = RateSweep.evaluate(summary(100, 100, 1500, 60, 9.9), 10, -1, SLO,
        0.02, "r", null);
    assertThat(ok.meetsSlo()).isTrue();
    assertThat(ok.saturation()).isEmpty();
    SweepResult.Point slowTtft = RateSweep.evaluate(summary(100, 100, 2500, 60, 9.0), 10, -1,
        SLO, 0.02, "r", null);
    assertThat(slowTtft.meetsSlo()).isFalse();
    assertThat(slowTtft.saturation()).containsExactly("TTFT p99 2500 ms > 2000 ms");
    SweepResult.Point failing = RateSweep.evaluate(summary(100, 98, 1000, 60, 9.8), 10, -1, SLO,
        0.02, "r", null);
    assertThat(failing.meetsSlo()).isFalse();
    assertThat(failing.failedShare()).isEqualTo(0.02);
    assertThat(failing.saturation()).containsExactly("2.0% failed > 1%");
  }

  @Test
  void evaluate_flatGoodputSaturatesEvenWithinTheSlo() {
    SweepResult.Point flat = RateSweep.evaluate(summary(200, 200, 1900, 70, 10.1), 20, 10.0, SLO,
        0.02, "r", null);
    assertThat(flat.meetsSlo()).isTrue();
    assertThat(flat.saturation()).containsExactly("goodput flat (10.10 req/s, 10.00 at a lower "
        + "rate)");
    SweepResult.Point rising = RateSweep.evaluate(summary(200, 200, 1900, 70, 19.5), 20, 10.0,
        SLO, 0.02, "r", null);
    assertThat(rising.saturation()).isEmpty();
  }

  @Test
  void evaluate_ttftRisingWithinTheStep_isQueueGrowth() {
    SweepResult.Point growing = RateSweep.evaluate(summary(200, 200, 1900, 70, 19.5), 20, 10.0,
        SLO, 0.02, "r", new double[] {200, 900});
    assertThat(growing.meetsSlo()).isTrue();
    assertThat(growing.saturation()).containsExactly("queue growth (TTFT p50 200 ms in the first "
        + "third, 900 ms in the last)");
    // doubling at tiny TTFTs is noise, not a queue
    assertThat(RateSweep.evaluate(summary(200, 200, 100, 70, 19.5), 20, 10.0, SLO, 0.02, "r",
        new double[] {20, 60}).saturation()).isEmpty();
  }

  @Test
  void rampRates_linearAndExponentialIncludeBothEnds() {
    assertThat(RateSweep.rampRates("linear", 2, 10, 5)).containsExactly(2.0, 4.0, 6.0, 8.0, 10.0);
    List<Double> exp = RateSweep.rampRates("exponential", 1, 16, 5);
    assertThat(exp).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(exp.get(i)).isCloseTo(Math.pow(2, i), org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThatThrownBy(() -> RateSweep.rampRates("linear", 4, 2, 3))
        .isInstanceOf(BadInputException.class).hasMessageContaining("--ramp-up-end-rps (2.0)");
    assertThatThrownBy(() -> RateSweep.rampRates("linear", 1, 2, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("--steps (1)");
  }

  @Test
  void verdict_ranksModesByCapacityAndSaysWhatWasNotSaturated() {
    SweepResult.Curve two = new SweepResult.Curve("token-budget", 8, 12.0, 11.9, true,
        "TTFT p99 at 16 req/s", List.of());
    SweepResult.Curve one = new SweepResult.Curve("single", 8, 6.0, 5.9, true, "x", List.of());
    assertThat(RateSweep.verdict(List.of(one, two), SLO, List.of(2.0, 4.0)))
        .isEqualTo("At P99 TTFT 2 s / TPOT 80 ms: token-budget carries 12 req/s, single carries "
            + "6 req/s; token-budget carries 100% more than single");
    SweepResult.Curve open = new SweepResult.Curve("token-budget", 8, 16.0, 15.9, false,
        "highest", List.of());
    SweepResult.Curve none = new SweepResult.Curve("single", 8, null, null, true, "x", List.of());
    assertThat(RateSweep.verdict(List.of(none, open), SLO, List.of(2.0, 16.0)))
        .isEqualTo("At P99 TTFT 2 s / TPOT 80 ms: token-budget carries at least 16 req/s (not "
            + "saturated: try higher rates), single meets the SLO at none of the rates tried "
            + "(from 2 req/s)");
  }
}
