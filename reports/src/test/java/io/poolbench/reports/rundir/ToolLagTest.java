package io.poolbench.reports.rundir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolLagTest {

  @Test
  void threshold_isTheLargerOfOneMsAndOnePercentOfTtftP50() {
    assertThat(ToolLag.thresholdMs(20)).isEqualTo(1.0);
    assertThat(ToolLag.thresholdMs(100)).isEqualTo(1.0);
    assertThat(ToolLag.thresholdMs(500)).isEqualTo(5.0);
    assertThat(ToolLag.thresholdMs(Double.NaN)).isEqualTo(1.0);
    assertThat(ToolLag.thresholdMs(0)).isEqualTo(1.0);
  }

  @Test
  void warns_onlyAboveTheThreshold() {
    assertThat(ToolLag.tailIncludesTool(0.9, 20)).isFalse();
    assertThat(ToolLag.tailIncludesTool(1.0, 20)).isFalse();
    assertThat(ToolLag.tailIncludesTool(1.5, 20)).isTrue();
    assertThat(ToolLag.tailIncludesTool(4.0, 500)).isFalse();
    assertThat(ToolLag.tailIncludesTool(6.0, 500)).isTrue();
    assertThat(ToolLag.tailIncludesTool(24, 22.5)).isTrue();
  }

  private static LatencySummary lag(double p50, double p99, double max) {
    return new LatencySummary(100, p50, p50, p50, p99, max, max);
  }

  private static Summary live(double ttftP50, LatencySummary sendLag) {
    Summary bare = new Summary(RequestCounts.of(new long[OutcomeKind.values().length]),
        new LatencySummary(100, ttftP50, ttftP50, ttftP50, ttftP50, ttftP50, ttftP50), null, null,
        null, null, 1, 1, null, null, 0, null, 0, null, null, null, null, null, null, 0, 0,
        new Summary.Slo(2000, 80), null, null, null, null, null);
    return sendLag == null ? bare : bare.withTool(sendLag, null);
  }

  @Test
  void summary_liveRunWarns_simulatedNever() {
    Summary lagging = live(22.5, lag(0.4, 24, 193));
    assertThat(ToolLag.tailIncludesTool(lagging)).isTrue();
    assertThat(ToolLag.warning(lagging)).startsWith("tail figures include the tool's own lag")
        .contains("send lag p99 24.0 ms is above 1.00 ms");
    assertThat(ToolLag.describe(lagging, false))
        .startsWith("p50 0.40 ms, p99 24.0 ms, p99.9 193 ms, max 193 ms");

    Summary quiet = live(22.5, lag(0.2, 0.9, 2.3));
    assertThat(ToolLag.warning(quiet)).isNull();

    Summary simulated = live(22.5, null);
    assertThat(ToolLag.tailIncludesTool(simulated)).isFalse();
    assertThat(ToolLag.warning(simulated)).isNull();
    assertThat(ToolLag.describe(simulated, true)).isEqualTo("n/a (simulated)");
  }
}
