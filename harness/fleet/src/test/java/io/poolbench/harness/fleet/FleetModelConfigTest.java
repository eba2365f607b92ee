package io.poolbench.harness.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.harness.catalog.Catalog;
import io.poolbench.harness.perf.RooflinePerfModel;
import io.poolbench.traces.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model-config}, {@code dtype}, {@code kv-cache-dtype} and inline {@code gpu} blocks. */
class FleetModelConfigTest {

  private static final String POOLS = """
      perf-model: roofline
      pools:
        - name: only
          instances: 2
          tensor-parallel: 1
          max-model-len: 8192
      """;

  private static final String TINY_CONFIG = """
      {"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32,
       "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256,
       "tie_word_embeddings": false, "torch_dtype": "bfloat16"}
      """;

  @Test
  void modelConfig_isRelativeToTheFleetFile_andMatchesTheCatalogModel(@TempDir Path dir)
      throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    Files.writeString(models.resolve("my-llama.json"), TINY_CONFIG);
    Path fleetFile = dir.resolve("fleet.yaml");
    Files.writeString(fleetFile, "model-config: models/my-llama.json\ngpu: a100-80gb\n" + POOLS);
    FleetConfig c = FleetConfigs.load(fleetFile);
    assertThat(c.modelConfig()).isEqualTo(models.resolve("my-llama.json").toString());
    assertThat(c.modelName()).isEqualTo("my-llama");
    Fleet fleet = FleetConfigs.resolve(c);
    // The same architecture as the catalog's llama-3-8b: the same KV blocks.
    Fleet builtin = FleetConfigs.resolve(FleetConfigs.parse(
        "model: llama-3-8b\ngpu: a100-80gb\n" + POOLS, "builtin.yaml"));
    assertThat(fleet.pools().get(0).engine().numGpuBlocks())
        .isEqualTo(builtin.pools().get(0).engine().numGpuBlocks());
    assertThat(fleet.startupLog().get(0)).startsWith("[only] my-llama x 2 a100-80gb");
  }

  @Test
  void kvCacheDtypeFp8_doublesTheKvBlocks_andDtypeFp8HalvesTheWeights() {
    String base = "model: llama-3-8b\ngpu: h100-sxm\n" + POOLS;
    Fleet bf16 = FleetConfigs.resolve(FleetConfigs.parse(base, "a.yaml"));
    Fleet fp8Kv = FleetConfigs.resolve(FleetConfigs.parse("kv-cache-dtype: fp8\n" + base,
        "b.yaml"));
    double ratio = (double) fp8Kv.pools().get(0).engine().numGpuBlocks()
        / bf16.pools().get(0).engine().numGpuBlocks();
    assertThat(ratio).isBetween(1.99, 2.01);
    Fleet fp8 = FleetConfigs.resolve(FleetConfigs.parse("dtype: fp8\n" + base, "c.yaml"));
    RooflinePerfModel perf = (RooflinePerfModel) fp8.pools().get(0).perf();
    assertThat(perf.weightBytesPerParam()).isEqualTo(1);
    // FP8 weights run at the H100's FP8 peak.
    assertThat(perf.peakFlops()).isEqualTo(Catalog.gpu("h100-sxm").fp8Flops());
    assertThat(fp8.pools().get(0).engine().numGpuBlocks())
        .isGreaterThan(bf16.pools().get(0).engine().numGpuBlocks());
  }

  @Test
  void inlineGpuBlock_resolvesToItsFigures() {
    String yaml = """
        model: llama-3-8b
        gpu: {name: my-gpu, memory-gb: 96, bandwidth-gbs: 4000, bf16-tflops: 900, \
        fp8-tflops: 1800, price: 3.1}
        """ + POOLS;
    Fleet fleet = FleetConfigs.resolve(FleetConfigs.parse(yaml, "inline.yaml"));
    PoolSetup pool = fleet.pools().get(0);
    assertThat(pool.gpu()).isEqualTo("my-gpu");
    assertThat(pool.dollarsPerGpuHour()).isEqualTo(3.1);
    RooflinePerfModel perf = (RooflinePerfModel) pool.perf();
    assertThat(perf.hbmBytesPerSecond()).isEqualTo(4e12);
    assertThat(perf.peakFlops()).isEqualTo(900e12);
    // 96 GB holds more KV than the 80 GiB H100.
    Fleet h100 = FleetConfigs.resolve(FleetConfigs.parse(
        "model: llama-3-8b\ngpu: h100-sxm\n" + POOLS, "h100.yaml"));
    assertThat(pool.engine().numGpuBlocks())
        .isGreaterThan(h100.pools().get(0).engine().numGpuBlocks());
  }

  @Test
  void inlineGpuBlock_takesTheFleetPriceWhenItHasNone() {
    String yaml = "model: llama-3-8b\ngpu-price: 1.25\ngpu:\n  name: x\n  memory-gb: 80\n"
        + "  bandwidth-gbs: 2000\n  bf16-tflops: 300\n" + POOLS;
    Fleet fleet = FleetConfigs.resolve(FleetConfigs.parse(yaml, "p.yaml"));
    assertThat(fleet.pools().get(0).dollarsPerGpuHour()).isEqualTo(1.25);
    RooflinePerfModel perf = (RooflinePerfModel) fleet.pools().get(0).perf();
    assertThat(perf.peakFlops()).isEqualTo(300e12);
  }

  @Test
  void inlineGpuErrors_nameTheKey() {
    String missing = "model: llama-3-8b\ngpu: {name: x, memory-gb: 80, bf16-tflops: 300, "
        + "price: 1}\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(missing, "m.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'gpu.bandwidth-gbs' is required");
    String wrongType = "model: llama-3-8b\ngpu: {name: x, memory-gb: lots, bandwidth-gbs: 1, "
        + "bf16-tflops: 300, price: 1}\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(wrongType, "t.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'gpu.memory-gb' is \"lots\"");
    String unknown = "model: llama-3-8b\ngpu: {name: x, memory: 80}\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(unknown, "u.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("unknown key 'gpu.memory'")
        .hasMessageContaining("bandwidth-gbs");
    String noPrice = "model: llama-3-8b\ngpu: {name: x, memory-gb: 80, bandwidth-gbs: 1, "
        + "bf16-tflops: 300}\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(noPrice, "n.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'gpu.price'");
    String list = "model: llama-3-8b\ngpu: [a100-80gb]\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(list, "l.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("fleet key 'gpu'");
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(POOLS, "none.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'model' or 'model-config' is required");
  }

  @Test
  void modelAndModelConfig_exactlyOne(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("m.json");
    Files.writeString(cfg, TINY_CONFIG);
    String both = "model: llama-3-8b\nmodel-config: " + cfg + "\ngpu: a100-80gb\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(both, "both.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'model'")
        .hasMessageContaining("'model-config'")
        .hasMessageContaining("exactly one");
    String noGpu = "model-config: " + cfg + "\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(noGpu, "g.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("fleet key 'gpu' is required");
  }

  @Test
  void modelConfigErrors_nameTheKeyAndFile(@TempDir Path dir) throws Exception {
    Path fleetFile = dir.resolve("fleet.yaml");
    Files.writeString(fleetFile, "model-config: nowhere.json\ngpu: a100-80gb\n" + POOLS);
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.load(fleetFile)))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("fleet key 'model-config': ")
        .hasMessageContaining(dir.resolve("nowhere.json").toString());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, TINY_CONFIG.replace("\"hidden_size\": 4096,", ""));
    Files.writeString(fleetFile, "model-config: bad.json\ngpu: a100-80gb\n" + POOLS);
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.load(fleetFile)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'hidden_size'")
        .hasMessageContaining(bad.toString());
    String badDtype = "model: llama-3-8b\ndtype: int4\ngpu: a100-80gb\n" + POOLS;
    assertThatThrownBy(() -> FleetConfigs.resolve(FleetConfigs.parse(badDtype, "d.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("dtype 'int4'")
        .hasMessageContaining("auto, bf16, fp16, fp8");
  }
}
