package io.poolbench.harness.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.catalog.Catalog;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class PerfModelTest {

  @Test
  void affine_paperProfile_sixteenSequencesAt8k() {
    StepShape s = new StepShape();
    for (int i = 0; i < 16; i++) {
      s.add(8191, 1, true);
    }
    // W + 16 x H = 8 + 10.4 ms.
    assertThat(AffinePerfModel.PAPER_LLAMA70B_A100.stepNanos(s)).isEqualTo(18_400_000L);
  }

  @Test
  void roofline_singleDecode_isMemoryBound() {
    RooflinePerfModel m = RooflinePerfModel.of(Catalog.model("llama-3-8b"),
        Catalog.gpu("a100-80gb"), 1);
    StepShape s = new StepShape();
    s.add(1024, 1, true);
    assertThat(m.memorySeconds(s)).isGreaterThan(m.computeSeconds(s));
    // 16.06 GB of weights / (2.039 TB/s x 0.8) + 1 ms overhead.
    assertThat((double) m.stepNanos(s)).isCloseTo(10.85e6, Percentage.withPercentage(2));
  }

  @Test
  void roofline_largePrefill_isComputeBound() {
    RooflinePerfModel m = RooflinePerfModel.of(Catalog.model("llama-3-70b"),
        Catalog.gpu("a100-80gb"), 4);
    StepShape s = new StepShape();
    s.add(0, 8192, false);
    assertThat(m.computeSeconds(s)).isGreaterThan(m.memorySeconds(s));
    assertThat(m.stepNanos(s)).isGreaterThan(1_000_000_000L);
  }
}
