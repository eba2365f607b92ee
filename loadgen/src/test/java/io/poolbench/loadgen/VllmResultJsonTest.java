package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The statistics of the vLLM result file are numpy's, as vllm bench serve computes them. */
class VllmResultJsonTest {

  private static final double[] ONE_TO_TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

  @Test
  void percentile_interpolatesLinearlyAsNumpyDoes() {
    // numpy.percentile(range(1, 11), q) for q = 50, 95, 99.5, 0, 100
    assertThat(VllmResultJson.percentile(ONE_TO_TEN, 50)).isEqualTo(5.5);
    assertThat(VllmResultJson.percentile(ONE_TO_TEN, 95)).isCloseTo(9.55, within(1e-12));
    assertThat(VllmResultJson.percentile(ONE_TO_TEN, 99.5)).isCloseTo(9.955, within(1e-12));
    assertThat(VllmResultJson.percentile(ONE_TO_TEN, 0)).isEqualTo(1);
    assertThat(VllmResultJson.percentile(ONE_TO_TEN, 100)).isEqualTo(10);
    assertThat(VllmResultJson.percentile(new double[] {7}, 99)).isEqualTo(7);
    // np.percentile(x or 0, p) for an empty list is 0
    assertThat(VllmResultJson.percentile(new double[0], 99)).isZero();
  }

  @Test
  void meanAndStd_areNumpysPopulationFigures() {
    double[] x = {1, 2, 3, 4};
    assertThat(VllmResultJson.mean(x)).isEqualTo(2.5);
    // numpy.std([1, 2, 3, 4]) = sqrt(1.25)
    assertThat(VllmResultJson.std(x)).isCloseTo(1.118033988749895, within(1e-15));
    assertThat(VllmResultJson.std(new double[0])).isZero();
  }

  @Test
  void percentileWord_isPythonsSpellingInTheKey() {
    assertThat(VllmResultJson.percentileWord(99)).isEqualTo("99");
    assertThat(VllmResultJson.percentileWord(99.5)).isEqualTo("99.5");
    assertThat(VllmResultJson.percentileWord(99.9)).isEqualTo("99.9");
    assertThat(VllmResultJson.percentileWord(99.99)).isEqualTo("99.99");
    assertThat(VllmResultJson.percentileWord(0.5)).isEqualTo("0.5");
  }
}
