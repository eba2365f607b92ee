package io.poolbench.traces.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The count-array percentiles equal nearest-rank percentiles of the sorted values. */
class TokenHistogramTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void percentile_equalsNearestRankOfSortedValues(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = 1 + random.nextInt(3_000);
    int[] values = new int[n];
    TokenHistogram histogram = new TokenHistogram();
    for (int i = 0; i < n; i++) {
      // mostly short, some beyond the dense range to exercise the sparse map
      values[i] = random.nextInt(10) == 0 ? random.nextInt(1 << 22, Integer.MAX_VALUE)
          : random.nextInt(70_000);
      histogram.record(values[i]);
    }
    int[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double p : new double[] {0.1, 1, 25, 50, 90, 99, 99.9, 100}) {
      int rank = (int) Math.ceil(p / 100 * n);
      assertThat(histogram.percentile(p)).as("p%s of %s values", p, n)
          .isEqualTo(sorted[Math.max(rank, 1) - 1]);
    }
    assertThat(histogram.max()).isEqualTo(sorted[n - 1]);
    assertThat(histogram.min()).isEqualTo(sorted[0]);
    int threshold = random.nextInt(80_000);
    assertThat(histogram.countAtMost(threshold))
        .isEqualTo(Arrays.stream(sorted).filter(v -> v <= threshold).count());
    assertThat(histogram.countAtMost(Integer.MAX_VALUE)).isEqualTo(n);
  }
}
