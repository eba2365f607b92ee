package io.poolbench.harness.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import io.poolbench.traces.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures derived from the shipped config.json files against the ones their publishers state
 * (model cards and papers), within 1%.
 */
class HfModelConfigTest {
  private static final long KIB = 1024;

  private static ModelSpec builtin(String name) {
    return HfModelConfig.builtin(name, "test");
  }

  @Test
  void llama2_7b_fp16() {
    // Llama 2 paper (Touvron et al. 2023) / model card: 6.74 B parameters ("7B").
    ModelSpec m = builtin("llama-2-7b");
    assertThat(m.totalParams()).isCloseTo(6.74e9, withPercentage(1));
    assertThat(m.activeParams()).isEqualTo(m.totalParams());
    // 2 x 32 layers x 32 KV heads x 128 x 2 bytes (FP16 torch_dtype).
    assertThat(m.kvBytesPerToken()).isEqualTo(512 * KIB);
    assertThat(m.weightDtype()).isEqualTo("fp16");
    assertThat(m.weightBytesPerParam()).isEqualTo(2);
  }

  @Test
  void llama3_8b() {
    // meta-llama/Meta-Llama-3-8B safetensors metadata: 8.03 B parameters.
    ModelSpec m = builtin("llama-3-8b");
    assertThat(m.totalParams()).isCloseTo(8.03e9, withPercentage(1));
    assertThat(m.kvBytesPerToken()).isEqualTo(128 * KIB);
    assertThat(m.headDim()).isEqualTo(128);
    assertThat(m.weightDtype()).isEqualTo("bf16");
  }

  @Test
  void llama3_70b() {
    // meta-llama/Meta-Llama-3-70B: 70.6 B parameters; 2 x 80 x 8 x 128 x 2 = 320 KiB per token.
    ModelSpec m = builtin("llama-3-70b");
    assertThat(m.totalParams()).isCloseTo(70.6e9, withPercentage(1));
    assertThat(m.kvBytesPerToken()).isEqualTo(320 * KIB);
  }

  @Test
  void mistral7b_recordsItsSlidingWindow() {
    // mistralai/Mistral-7B-v0.1: 7.24 B parameters, 4,096-token sliding window.
    ModelSpec m = builtin("mistral-7b");
    assertThat(m.totalParams()).isCloseTo(7.24e9, withPercentage(1));
    assertThat(m.slidingWindow()).isEqualTo(4096);
    assertThat(m.kvBytesPerToken()).isEqualTo(128 * KIB);
  }

  @Test
  void mixtral8x7b_totalAndActive() {
    // Mistral AI, "Mixtral of experts" (2023): 46.7 B total, 12.9 B used per token.
    ModelSpec m = builtin("mixtral-8x7b");
    assertThat(m.totalParams()).isCloseTo(46.7e9, withPercentage(1));
    assertThat(m.activeParams()).isCloseTo(12.9e9, withPercentage(1));
    assertThat(m.intermediateSize()).isEqualTo(14336);
    assertThat(m.slidingWindow()).isZero();
  }

  @Test
  void qwen2_7b_withQkvBiasAndDisabledWindow() {
    // Qwen2 technical report / model card: 7.62 B parameters (untied embeddings, q/k/v bias).
    ModelSpec m = builtin("qwen2-7b");
    assertThat(m.totalParams()).isCloseTo(7.62e9, withPercentage(1));
    // use_sliding_window is false, so the declared 131,072 window does not apply.
    assertThat(m.slidingWindow()).isZero();
    assertThat(m.kvBytesPerToken()).isEqualTo(2L * 28 * 4 * 128 * 2);
  }

  @Test
  void qwen3_8b() {
    // Qwen/Qwen3-8B model card: 8.2 B parameters (8.19 B in the safetensors metadata).
    ModelSpec m = builtin("qwen3-8b");
    assertThat(m.totalParams()).isCloseTo(8.19e9, withPercentage(1));
    assertThat(m.kvBytesPerToken()).isEqualTo(144 * KIB);
  }

  @Test
  void qwen3_235b_fp8Weights_bf16KvCache() {
    // Qwen/Qwen3-235B-A22B-FP8 model card: 235 B total, 22 B activated.
    ModelSpec m = builtin("qwen3-235b-a22b-fp8");
    assertThat(m.totalParams()).isCloseTo(235e9, withPercentage(1));
    assertThat(m.activeParams()).isCloseTo(22e9, withPercentage(1));
    assertThat(m.weightDtype()).isEqualTo("fp8");
    assertThat(m.weightBytesPerParam()).isEqualTo(1);
    assertThat(m.kvBytesPerElement()).isEqualTo(2);
    assertThat(m.intermediateSize()).isEqualTo(1536);
  }

  @Test
  void deepseekV3_mlaLatentCache() {
    // DeepSeek-V3 technical report (arXiv 2412.19437): 671 B total, 37 B activated; the
    // repository's README_WEIGHTS.md: main-model activated parameters 36.6 B including the
    // 0.9 B output head, i.e. without the input embedding (vocab x hidden), which the catalog's
    // active count includes.
    ModelSpec m = builtin("deepseek-v3");
    assertThat(m.totalParams()).isCloseTo(671e9, withPercentage(1));
    double inputEmbedding = 129280.0 * 7168;
    assertThat(m.activeParams()).isCloseTo(36.6e9 + inputEmbedding, withPercentage(1));
    // One 576-wide latent (kv_lora_rank 512 + qk_rope_head_dim 64) per layer, BF16: 61 x 576 x 2.
    assertThat(m.kvBytesPerToken()).isEqualTo(70_272L);
    assertThat(m.latentKv()).isTrue();
    // The latent is replicated, not sharded, over tensor-parallel ranks.
    assertThat(m.kvBytesPerTokenPerGpu(8)).isEqualTo(70_272L);
    assertThat(m.weightDtype()).isEqualTo("fp8");
    assertThat(m.headDim()).isEqualTo(192);
    assertThat(m.valueHeadDim()).isEqualTo(128);
    assertThat(m.attentionFlopsPerContextToken()).isEqualTo(2.0 * 61 * 128 * (192 + 128));
  }

  @Test
  void gqaKvIsShardedOverTensorParallelRanks() {
    ModelSpec m = builtin("llama-3-70b");
    assertThat(m.kvBytesPerTokenPerGpu(4)).isEqualTo(80 * KIB);
    // 8 KV heads over 16 ranks: each rank still holds one head.
    assertThat(m.kvBytesPerTokenPerGpu(16)).isEqualTo(40 * KIB);
  }

  @Test
  void dtypeOptions_changeWeightAndKvBytes() {
    String json = resource("llama-3-8b");
    ModelSpec fp8 = HfModelConfig.parse(json, "l", "x.json", "fp8", null);
    assertThat(fp8.weightBytesPerParam()).isEqualTo(1);
    // auto KV follows FP8-quantized weights' 16-bit torch_dtype.
    assertThat(fp8.kvBytesPerElement()).isEqualTo(2);
    ModelSpec fp8Kv = HfModelConfig.parse(json, "l", "x.json", "auto", "fp8");
    assertThat(fp8Kv.weightBytesPerParam()).isEqualTo(2);
    assertThat(fp8Kv.kvBytesPerToken()).isEqualTo(64 * KIB);
    ModelSpec fp16 = HfModelConfig.parse(json, "l", "x.json", "FP16", "auto");
    assertThat(fp16.weightDtype()).isEqualTo("fp16");
    assertThat(fp16.kvBytesPerElement()).isEqualTo(2);
  }

  @Test
  void tiedEmbeddings_countOnce_andHeadDimDefaultsToHiddenOverHeads() {
    String tied = "{\"num_hidden_layers\": 2, \"hidden_size\": 64, \"num_attention_heads\": 4,"
        + " \"intermediate_size\": 128, \"vocab_size\": 1000, \"tie_word_embeddings\": true}";
    ModelSpec m = HfModelConfig.parse(tied, "tiny", "tiny.json", null, null);
    // Embedding 64k + 2 x (attention 4 x 64^2 + MLP 3 x 64 x 128 + 2 norms) + final norm.
    double expected = 1000 * 64 + 2 * (4 * 64 * 64 + 3 * 64 * 128 + 2 * 64) + 64;
    assertThat(m.totalParams()).isEqualTo(expected);
    assertThat(m.headDim()).isEqualTo(16);
    assertThat(m.kvHeads()).isEqualTo(4);
    assertThat(m.weightDtype()).isEqualTo("bf16");
  }

  @Test
  void textConfig_isReadForMultimodalWrappers() {
    String wrapped = "{\"model_type\": \"llava\", \"text_config\": {\"num_hidden_layers\": 2,"
        + " \"hidden_size\": 64, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
        + " \"intermediate_size\": 128, \"vocab_size\": 1000}}";
    ModelSpec m = HfModelConfig.parse(wrapped, "w", "w.json", null, null);
    assertThat(m.layers()).isEqualTo(2);
    assertThat(m.kvBytesPerToken()).isEqualTo(2L * 2 * 2 * 16 * 2);
  }

  @Test
  void load_namesTheModelAfterTheFileOrItsSnapshotDirectory(@TempDir Path dir)
      throws Exception {
    Path named = dir.resolve("Llama-3-8B.json");
    Files.writeString(named, resource("llama-3-8b"));
    assertThat(HfModelConfig.load(named, null, null).name()).isEqualTo("llama-3-8b");
    Path snapshot = Files.createDirectories(dir.resolve("my-model"));
    Path config = snapshot.resolve("config.json");
    Files.writeString(config, resource("llama-3-8b"));
    ModelSpec m = HfModelConfig.load(config, null, null);
    assertThat(m.name()).isEqualTo("my-model");
    assertThat(m.source()).isEqualTo(config.toString());
    assertThat(m.kvBytesPerToken()).isEqualTo(128 * KIB);
  }

  @Test
  void missingKey_namesKeyAndFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("broken.json");
    Files.writeString(f, resource("llama-3-8b").replace("\"hidden_size\": 4096,", ""));
    assertThatThrownBy(() -> HfModelConfig.load(f, null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'hidden_size'")
        .hasMessageContaining(f.toString())
        .hasMessageContaining("positive integer");
  }

  @Test
  void wrongType_namesKeyFileAndValue(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("typed.json");
    Files.writeString(f, resource("llama-3-8b")
        .replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": \"32\""));
    assertThatThrownBy(() -> HfModelConfig.load(f, null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'num_hidden_layers'")
        .hasMessageContaining(f.toString())
        .hasMessageContaining("\"32\"");
    Path g = dir.resolve("tied.json");
    Files.writeString(g, resource("llama-3-8b")
        .replace("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": \"no\""));
    assertThatThrownBy(() -> HfModelConfig.load(g, null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'tie_word_embeddings'")
        .hasMessageContaining(g.toString())
        .hasMessageContaining("true or false");
  }

  @Test
  void unknownDtypes_nameTheKeyOrOptionAndFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("dtype.json");
    Files.writeString(f, resource("llama-3-8b").replace("\"bfloat16\"", "\"int4\""));
    assertThatThrownBy(() -> HfModelConfig.load(f, null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'torch_dtype'")
        .hasMessageContaining(f.toString())
        .hasMessageContaining("int4");
    Path ok = dir.resolve("ok.json");
    Files.writeString(ok, resource("llama-3-8b"));
    assertThatThrownBy(() -> HfModelConfig.load(ok, "int4", null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("dtype 'int4'")
        .hasMessageContaining(ok.toString())
        .hasMessageContaining("auto, bf16, fp16, fp8");
    assertThatThrownBy(() -> HfModelConfig.load(ok, null, "fp4"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("kv-cache-dtype 'fp4'")
        .hasMessageContaining(ok.toString());
  }

  @Test
  void notJson_andMissingFile_areBadInput(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"num_hidden_layers\": ");
    assertThatThrownBy(() -> HfModelConfig.load(f, null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> HfModelConfig.load(dir.resolve("none.json"), null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("none.json")
        .hasMessageContaining("does not exist");
  }

  @Test
  void catalog_loadsTheBuiltinsAndKeepsItsErrorText() {
    assertThat(Catalog.models()).containsKeys("llama-2-7b", "llama-3-8b", "llama-3-70b",
        "mistral-7b", "mixtral-8x7b", "qwen2-7b", "qwen3-8b", "qwen3-235b-a22b-fp8",
        "deepseek-v3");
    assertThat(Catalog.model("Qwen3-235B-A22B")).isSameAs(Catalog.model("qwen3-235b-a22b-fp8"));
    assertThat(Catalog.model("llama-3-8b").source())
        .isEqualTo("huggingface.co/meta-llama/Meta-Llama-3-8B config.json");
    assertThatThrownBy(() -> Catalog.model("gpt-5"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("Unknown model 'gpt-5'; expected one of [llama-2-7b, llama-3-8b,");
  }

  private static String resource(String name) {
    try (var in = HfModelConfigTest.class.getResourceAsStream(
        "/io/poolbench/harness/catalog/models/" + name + ".json")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
