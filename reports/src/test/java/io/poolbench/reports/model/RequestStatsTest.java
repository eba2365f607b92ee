package io.poolbench.reports.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RequestRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestStatsTest {

  private static RequestStats stats(double binS, List<String> pools) {
    return new RequestStats(binS, pools);
  }

  private static RequestRow row(double arrivalMs, String pool, String category, int prompt,
      int maxTokens, OutcomeKind outcome, double e2eMs) {
    return new RequestRow(0, arrivalMs, pool, 0, category, prompt, 10, maxTokens, outcome,
        200, 1, e2eMs < 0 ? -1 : 5, e2eMs, 10, 0);
  }

  @Test
  void bins_countArrivalsByPoolAndEndsByEndTime() {
    RequestStats s = stats(1.0, List.of("short", "long"));
    s.add(row(100, "short", "a", 10, 10, OutcomeKind.OK, 2_500)); // ends at 2.6 s: bin 2
    s.add(row(900, "long", "a", 10, 10, OutcomeKind.OK, 50)); // ends in bin 0
    s.add(row(1_500, "", "b", 10, 10, OutcomeKind.NOT_SENT, -1)); // ends at arrival
    s.add(row(1_600, "short", "b", 10, 10, OutcomeKind.REJECTED_OVERLOAD, -1));

    assertThat(s.bins()).isEqualTo(3);
    assertThat(s.pools()).containsExactly("short", "long", RequestStats.UNROUTED);
    assertThat(s.arrivals(0, 0)).isEqualTo(1);
    assertThat(s.arrivals(1, 0)).isEqualTo(1);
    assertThat(s.arrivals(1)).isEqualTo(2);
    assertThat(s.completions(0)).isEqualTo(1);
    assertThat(s.completions(2)).isEqualTo(1);
    // in flight at the end of bins 0 and 1: only the first request (ends at 2.6 s)
    assertThat(s.inFlightAtEnd(0)).isEqualTo(1);
    assertThat(s.inFlightAtEnd(1)).isEqualTo(1);
    assertThat(s.inFlightAtEnd(2)).isZero();
    assertThat(s.categoryPools().get("a")).startsWith(1, 1, 0);
    assertThat(s.categoryPools().get("b")).startsWith(1, 0, 1);
  }

  @Test
  void prefixHitRate_perArrivalBin_overOkRequestsWithKnownCachedTokens() {
    RequestStats s = stats(1.0, List.of("p"));
    s.add(new RequestRow(0, 100, "p", 0, "a", 1000, 10, 10, OutcomeKind.OK, 200, 1, 5, 50, 10,
        0, 0));
    s.add(new RequestRow(1, 200, "p", 0, "a", 1000, 10, 10, OutcomeKind.OK, 200, 1, 5, 50, 10,
        0, 750));
    s.add(new RequestRow(2, 300, "p", 0, "a", 1000, 10, 10, OutcomeKind.REJECTED_OVERLOAD, 503,
        1, -1, -1, 0, 0, -1)); // not served: not counted
    s.add(new RequestRow(3, 1_200, "p", 0, "a", 2000, 10, 10, OutcomeKind.OK, 200, 1, 5, 50, 10,
        0, -1)); // unknown: not counted
    assertThat(s.anyPrefixCacheHits()).isTrue();
    assertThat(s.prefixHitRate(0)).isEqualTo(750.0 / 2000);
    assertThat(s.prefixHitRate(1)).isNaN();
    RequestStats none = stats(1.0, List.of("p"));
    none.add(row(100, "p", "a", 10, 10, OutcomeKind.OK, 50));
    assertThat(none.anyPrefixCacheHits()).isFalse();
  }

  @Test
  void fractionWithin_isExactAtTheBudgetBoundary() {
    RequestStats s = stats(10, List.of("p"));
    s.add(row(0, "p", "a", 8000, 192, OutcomeKind.OK, 10)); // 8,192: within
    s.add(row(0, "p", "a", 8000, 193, OutcomeKind.OK, 10)); // 8,193: not
    s.add(row(0, "p", "a", 8100, -1, OutcomeKind.OK, 10)); // no max_tokens: 8,100 + 10 output
    s.add(row(0, "p", "a", 60_000, 100, OutcomeKind.OK, 10));

    assertThat(s.fractionWithin(8192)).isEqualTo(0.5);
    assertThat(s.fractionWithin(8193)).isEqualTo(0.75);
  }

  @Test
  void categories_beyondTheCap_goToOther() {
    RequestStats s = stats(10, List.of("p"));
    for (int i = 0; i < RequestStats.MAX_CATEGORIES + 5; i++) {
      s.add(row(0, "p", "c" + i, 1, 1, OutcomeKind.OK, 1));
    }
    assertThat(s.categoryPools()).hasSize(RequestStats.MAX_CATEGORIES + 1);
    assertThat(s.categoryPools().get(RequestStats.OTHER)[0]).isEqualTo(5);
  }
}
