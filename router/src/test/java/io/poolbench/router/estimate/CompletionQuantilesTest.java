package io.poolbench.router.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletionQuantilesTest {

  @Test
  void bucketUpperBound_isNeverBelowValueAndAtMostEighthAbove() {
    for (int v = 0; v < 1 << 22; v += 1 + v / 64) {
      int upper = CompletionQuantiles.upperBound(CompletionQuantiles.bucket(v));
      assertThat(upper).isGreaterThanOrEqualTo(v);
      assertThat(upper).isLessThanOrEqualTo(v + Math.max(0, v / 8) + 1);
    }
  }

  @Test
  void quantile_ofUniformValues_isNearTheRank() {
    CompletionQuantiles q = new CompletionQuantiles(2, 0.5);
    for (int i = 1; i <= 1000; i++) {
      q.record(1, i);
    }
    assertThat(q.quantile(1)).isBetween(500, 563);
    assertThat(q.count(1)).isEqualTo(1000);
    assertThat(q.quantile(0)).isZero();
  }
}
