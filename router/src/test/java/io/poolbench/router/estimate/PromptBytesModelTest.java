package io.poolbench.router.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PromptBytesModelTest {

  @Test
  void promptBytes_isDeterministicAndAveragesTheTrueRatio() {
    PromptBytesModel model = PromptBytesModel.PAPER;
    double sum = 0;
    for (int i = 0; i < 10_000; i++) {
      long bytes = model.promptBytes(1000, "CJK", i);
      assertThat(bytes).isBetween(1909L, 2111L).isEqualTo(model.promptBytes(1000, "cjk", i));
      sum += bytes;
    }
    assertThat(sum / 10_000 / 1000).isCloseTo(2.01, within(0.005));
    assertThat(model.trueRatio(null)).isEqualTo(4.48);
    assertThat(model.promptBytes(0, "code", 3)).isZero();
  }
}
