package io.poolbench.loadgen.sse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamWarmUpTest {

  @Test
  void parsesEveryChunkOfBothChunkShapes() {
    // completion and chat chunks alternate; each carries content, so every chunk counts
    assertThat(StreamWarmUp.run(4, 10)).isEqualTo(40);
  }
}
