package io.poolbench.harness.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import org.junit.jupiter.api.Test;

class KvCapacityTest {

  @Test
  void llama8bOnH100_holdsAboutThreeHundredThousandTokens() {
    KvCapacity kv = KvCapacity.compute(Catalog.model("llama-3-8b"), Catalog.gpu("h100-80gb"), 1,
        0.9, 8192, 1024, 8192, 16);
    // vllm-api.md §5: 128 KiB per token, ~40 GiB of KV on an 80 GiB H100 -> ~330k tokens.
    assertThat(Catalog.model("llama-3-8b").kvBytesPerToken()).isEqualTo(128 * 1024);
    assertThat(kv.tokens()).isBetween(300_000L, 450_000L);
    assertThat(kv.startupLog(8192))
        .startsWith("GPU KV cache size: ")
        .contains("Maximum concurrency for 8,192 tokens per request: ");
  }

  @Test
  void llama70bOnTwoA100_cannotServe64k() {
    assertThatThrownBy(() -> KvCapacity.compute(Catalog.model("llama-3-70b"),
        Catalog.gpu("a100-80gb"), 2, 0.9, 8192, 16, 65536, 16))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("To serve at least one request with the model's max seq len "
            + "(65536)");
  }

  @Test
  void llama70bOnFourA100_serves64kAndThePapersBlocksWouldNotFit() {
    KvCapacity kv = KvCapacity.compute(Catalog.model("llama-3-70b"), Catalog.gpu("a100-80gb"), 4,
        0.9, 8192, 256, 65536, 16);
    assertThat(kv.maxConcurrency(65536)).isBetween(3.0, 10.0);
    // The papers' 65,536 blocks per instance: 1.05M tokens x 320 KiB = 320 GiB > 4 x 80 GiB.
    assertThat(kv.memoryLimit().overflows(65_536, 0)).isTrue();
    assertThat(kv.memoryLimit().overflows(kv.blocks(), 8192)).isFalse();
  }

  @Test
  void unknownGpu_namesTheChoices() {
    assertThatThrownBy(() -> Catalog.gpu("v100"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("Unknown GPU 'v100'")
        .hasMessageContaining("mi300x");
  }
}
