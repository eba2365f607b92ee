package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusLineTest {

  private static final long S = 1_000_000_000L;

  @Test
  void rates_areOverTheLastInterval_notSinceTheStart() {
    StatusLine line = new StatusLine(new StatusLine.Tick(0, 0, 0, 0, 0));
    // 100 req/s for the first 5 s ...
    String first = line.next(new StatusLine.Tick(5 * S, 500, 500, 490, 0), 60 * S, false, 10,
        20.0, 30.0, 0.4);
    assertThat(first).contains("last 5.0s: due 100.0 req/s, sent 100.0 req/s, done 98.0 req/s");
    // ... then a stall: 10 sent in the next 5 s. Since the start it would read 51 req/s.
    String second = line.next(new StatusLine.Tick(10 * S, 1000, 510, 500, 0), 60 * S, false, 10,
        20.0, 30.0, 0.4);
    assertThat(second).contains("due 100.0 req/s, sent 2.0 req/s, done 2.0 req/s");
  }

  @Test
  void position_isElapsedOverThePlannedTotal_andDrainingIsSaid() {
    String running = StatusLine.format(new StatusLine.Tick(0, 0, 0, 0, 0),
        new StatusLine.Tick(65 * S, 10, 10, 8, 1), 125 * S, false, 2, 20.0, 1234.0, 0.25);
    assertThat(running).startsWith("[1:05.0 / 2:05.0] last 65.0s:")
        .contains("in flight 2 | ok 8, errors 1")
        .contains("TTFT p50 20 ms, p99 1,234 ms")
        .contains("send lag p99 0.3 ms")
        .doesNotContain("draining");
    String draining = StatusLine.format(new StatusLine.Tick(125 * S, 10, 10, 8, 1),
        new StatusLine.Tick(130 * S, 10, 10, 10, 1), 125 * S, true, 0, 20.0, 30.0, 0.25);
    assertThat(draining).startsWith("[2:10.0 / 2:05.0] draining, last 5.0s: due 0.0 req/s")
        .contains("done 0.4 req/s");
  }

  @Test
  void unknownTotal_andNoFiguresYet_areShownAsSuch() {
    String line = StatusLine.format(new StatusLine.Tick(0, 0, 0, 0, 0),
        new StatusLine.Tick(5 * S, 0, 0, 0, 0), -1, false, 0, Double.NaN, Double.NaN, Double.NaN);
    assertThat(line).startsWith("[0:05.0 / ?]").contains("TTFT p50 -, p99 -").endsWith("send lag p99 -");
  }
}
