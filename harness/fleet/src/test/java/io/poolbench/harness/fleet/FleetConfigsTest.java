package io.poolbench.harness.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FleetConfigsTest {

  private static final String FLEET = """
      name: two-pool
      model: llama-3-70b
      gpu: a100-80gb
      perf-model: roofline
      pools:
        - name: short
          instances: 3
          tensor-parallel: 4
          max-model-len: 8192
          max-num-seqs: 128
        - name: long
          instances: 2
          tensor-parallel: 4
          max-model-len: 65536
          max-num-seqs: 16
      routing:
        policy: token-budget
      faults:
        mtbf-hours: 2
        at:
          - at-s: 30
            pool: long
      """;

  @Test
  void validFleet_resolvesWithComputedKvCapacity() {
    Fleet fleet = FleetConfigs.resolve(FleetConfigs.parse(FLEET, "fleet.yaml"));
    assertThat(fleet.pools()).extracting(PoolSetup::name).containsExactly("short", "long");
    assertThat(fleet.gpus()).isEqualTo(20);
    assertThat(fleet.shortBudgetTokens()).isEqualTo(8192);
    assertThat(fleet.pools().get(1).engine().numGpuBlocks() * 16L).isGreaterThan(65536);
    assertThat(fleet.startupLog().get(0)).contains("GPU KV cache size: ")
        .contains("maximum concurrency for 8,192 tokens per request");
    assertThat(fleet.faults().at()).hasSize(1);
    assertThat(fleet.faults().mtbfNanos()).isEqualTo(7_200_000_000_000L);
  }

  @Test
  void enablePrefixCaching_defaultsOn_andCanBeTurnedOffPerPool() {
    String yaml = FLEET.replace("max-num-seqs: 16", "max-num-seqs: 16\n    enable-prefix-caching: false");
    Fleet fleet = FleetConfigs.resolve(FleetConfigs.parse(yaml, "fleet.yaml"));
    assertThat(fleet.pools()).extracting(p -> p.engine().enablePrefixCaching())
        .containsExactly(true, false);
  }

  @Test
  void unknownKey_isNamedWithItsPath() {
    String bad = FLEET.replace("max-num-seqs: 16", "max-seqs: 16");
    assertThatThrownBy(() -> FleetConfigs.parse(bad, "fleet.yaml"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("fleet.yaml: unknown key 'pools[1].max-seqs'");
  }

  @Test
  void duplicateKey_fails() {
    String bad = FLEET.replace("gpu: a100-80gb", "gpu: a100-80gb\ngpu: h100-80gb");
    assertThatThrownBy(() -> FleetConfigs.parse(bad, "fleet.yaml"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("Duplicate field 'gpu'");
  }

  @Test
  void sixtyFourKOnTwoA100s_failsLikeVllmStartup() {
    int at = FLEET.lastIndexOf("tensor-parallel: 4");
    String bad = FLEET.substring(0, at) + "tensor-parallel: 2"
        + FLEET.substring(at + "tensor-parallel: 4".length());
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(bad, "fleet.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("pool 'long': To serve at least one request with the model's max "
            + "seq len (65536)");
  }

  @Test
  void papersBlocksWithPhysicalOom_getTheGpusMemoryLimit() {
    String yaml = """
        model: llama-3-70b
        gpu: a100-80gb
        oom: physical
        pools:
          - name: homogeneous
            tensor-parallel: 2
            max-model-len: 65536
            max-num-seqs: 16
            num-gpu-blocks: 65536
        """;
    PoolSetup pool = FleetConfigs.resolve(FleetConfigs.parse(yaml, "f.yaml")).pools().get(0);
    assertThat(pool.engine().numGpuBlocks()).isEqualTo(65536);
    // 65,536 blocks x 16 tokens x 320 KiB cannot sit next to 141 GB of weights on 160 GB.
    assertThat(pool.engine().memory().overflows(65536, 0)).isTrue();
    assertThat(pool.engine().memory().overflows(1000, 8192)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"paper-a100", "paper-a100-grounded", "paper-mi300x",
      "paper-mi300x-grounded"})
  void presets_resolveBothVariants(String name) {
    Preset preset = Presets.named(name);
    assertThat(FleetConfigs.resolve(preset.homogeneous()).pools()).hasSize(1);
    assertThat(FleetConfigs.resolve(preset.twoPool()).pools()).hasSize(2);
  }
}
