package io.poolbench.harness.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolbench.traces.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Derives a {@link ModelSpec} from a Hugging Face {@code config.json}: the architecture keys
 * ({@code num_hidden_layers}, {@code hidden_size}, {@code num_attention_heads},
 * {@code num_key_value_heads}, {@code head_dim}, {@code intermediate_size}, {@code vocab_size},
 * {@code tie_word_embeddings}, {@code torch_dtype}, {@code sliding_window}), the mixture-of-experts
 * keys (Mixtral {@code num_local_experts}, Qwen {@code num_experts}, DeepSeek
 * {@code n_routed_experts}; {@code num_experts_per_tok}, {@code moe_intermediate_size},
 * {@code n_shared_experts}, {@code shared_expert_intermediate_size}, {@code first_k_dense_replace},
 * {@code mlp_only_layers}) and DeepSeek's multi-head latent attention ({@code kv_lora_rank},
 * {@code q_lora_rank}, {@code qk_rope_head_dim}, {@code qk_nope_head_dim}, {@code v_head_dim}).
 * A config whose decoder sits under {@code text_config} (multimodal wrappers) is read from there.
 *
 * <p>Parameter counts are summed matrix by matrix: the input embedding and, unless
 * {@code tie_word_embeddings}, the LM head ({@code vocab × hidden} each); per layer the attention
 * projections (q, k, v, o; with MLA the q down/up projections or the plain q projection, the
 * joint KV down-projection of width {@code kv_lora_rank + qk_rope_head_dim}, the KV
 * up-projection to {@code heads × (qk_nope_head_dim + v_head_dim)}, and o), the gated MLP
 * (gate, up and down: 3 × hidden × width), per MoE layer every routed expert, the shared experts
 * and the router ({@code hidden × experts}); the RMSNorm weights (two per layer, one final, and
 * MLA's two latent norms) and the q/k/v biases of Qwen2-style attention. Left out, as below 0.01%
 * of any shipped model: Qwen3's per-head q/k norms, router score biases and Qwen2-MoE's
 * one-column shared-expert gate. DeepSeek's multi-token-prediction layers
 * ({@code num_nextn_predict_layers}) are not counted: they serve speculative decoding only and
 * the published 671 B excludes them. The MLP is taken to be gated (SwiGLU), as it is for every
 * Llama, Mistral, Qwen and DeepSeek model.
 *
 * <p>Active parameters count the dense path plus {@code num_experts_per_tok} routed experts and
 * the shared experts of each MoE layer, embeddings included (the convention behind Mixtral's
 * 12.9 B and Qwen3-235B-A22B's 22 B).
 *
 * <p>KV bytes per token: {@code 2 × layers × kv_heads × head_dim × bytes} for ordinary attention;
 * with MLA one latent per layer, {@code layers × (kv_lora_rank + qk_rope_head_dim) × bytes}
 * (vLLM caches the compressed latent, not K and V). {@code sliding_window} is recorded but does
 * not shrink the per-token figure (vLLM allocates full-attention blocks unless the model mixes
 * window and full layers); it reads as 0 where {@code use_sliding_window} is {@code false}.
 *
 * <p>Weight format ({@code dtype}): {@code auto} takes {@code fp8} where the config carries an FP8
 * {@code quantization_config} (as the Qwen3 FP8 and DeepSeek-V3 checkpoints do), else
 * {@code torch_dtype} (or {@code dtype}; {@code float32} is served as BF16, as vLLM's auto does;
 * a config without either counts as BF16). The KV cache ({@code kv-cache-dtype}) {@code auto}
 * follows the weight format, except that FP8-quantized weights keep a 16-bit cache in
 * {@code torch_dtype}, which is what vLLM does unless {@code --kv-cache-dtype fp8} is given.
 */
public final class HfModelConfig {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE_DIR = "/io/poolbench/harness/catalog/models/";

  /** The accepted values of the {@code dtype} and {@code kv-cache-dtype} options. */
  public static final String DTYPE_CHOICES = "auto, bf16, fp16, fp8";

  private HfModelConfig() {}

  /**
   * Reads {@code file} with {@code dtype} and {@code kvCacheDtype} ({@code null} means auto). The
   * model is named after the file ({@code mistral-7b.json} → {@code mistral-7b}), or after its
   * directory when the file is called {@code config.json} (a downloaded snapshot).
   */
  public static ModelSpec load(Path file, String dtype, String kvCacheDtype) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInputException("Model config '" + file + "' does not exist; expected a "
          + "Hugging Face config.json");
    } catch (IOException e) {
      throw new BadInputException("Cannot read model config '" + file + "': " + e.getMessage(), e);
    }
    return parse(text, nameFor(file), file.toString(), dtype, kvCacheDtype);
  }

  /**
   * The built-in config {@code <name>.json} shipped with the catalog, with auto dtypes;
   * {@code origin} (the Hugging Face repository it was published in) becomes the source.
   */
  public static ModelSpec builtin(String name, String origin) {
    return builtin(name, origin, null, null);
  }

  /** The built-in config {@code <name>.json} with {@code dtype} and {@code kvCacheDtype}. */
  public static ModelSpec builtin(String name, String origin, String dtype,
      String kvCacheDtype) {
    String resource = RESOURCE_DIR + name + ".json";
    try (InputStream in = HfModelConfig.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing built-in model config " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return parse(text, name, origin + " config.json", dtype, kvCacheDtype);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Derives the model named {@code name} from the config.json text {@code json}; {@code source}
   * names the file in error messages and in {@link ModelSpec#source()}.
   */
  public static ModelSpec parse(String json, String name, String source, String dtype,
      String kvCacheDtype) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadInputException("Model config " + source + " is not valid JSON ("
          + e.getOriginalMessage() + "); expected a Hugging Face config.json", e);
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException("Model config " + source
          + " is not a JSON object; expected a Hugging Face config.json");
    }
    return new Reader(root, source).spec(name, dtype, kvCacheDtype);
  }

  /** A model name for {@code file}: its base name, or its directory's for {@code config.json}. */
  public static String nameFor(Path file) {
    Path fileName = file.getFileName();
    String base = fileName == null ? file.toString() : fileName.toString();
    if (base.equalsIgnoreCase("config.json") && file.toAbsolutePath().getParent() != null
        && file.toAbsolutePath().getParent().getFileName() != null) {
      base = file.toAbsolutePath().getParent().getFileName().toString();
    }
    if (base.toLowerCase(Locale.ROOT).endsWith(".json")) {
      base = base.substring(0, base.length() - 5);
    }
    return base.toLowerCase(Locale.ROOT);
  }

  /** A numeric format of weights or KV cache. */
  enum Dtype {
    BF16("bf16", 2), FP16("fp16", 2), FP8("fp8", 1);

    final String label;
    final int bytes;

    Dtype(String label, int bytes) {
      this.label = label;
      this.bytes = bytes;
    }

    /** The option value {@code value}; {@code null} for auto. */
    static Dtype option(String value, String option, String source) {
      if (value == null) {
        return null;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "auto", "" -> null;
        case "bf16", "bfloat16" -> BF16;
        case "fp16", "float16", "half" -> FP16;
        case "fp8", "fp8_e4m3", "fp8_e5m2" -> FP8;
        default -> throw new BadInputException("Unknown " + option + " '" + value + "' for "
            + source + "; expected one of " + DTYPE_CHOICES);
      };
    }
  }

  /** Typed access to one config's keys, with errors naming the key and the file. */
  private static final class Reader {
    private final JsonNode root;
    private final String source;

    Reader(JsonNode config, String source) {
      JsonNode text = config.get("text_config");
      this.root = !config.has("num_hidden_layers") && text != null && text.isObject()
          ? text : config;
      this.source = source;
    }

    ModelSpec spec(String name, String dtypeOption, String kvDtypeOption) {
      // The options first: a bad option is reported whatever the file holds.
      Dtype weightOption = Dtype.option(dtypeOption, "dtype", source);
      Dtype kvOption = Dtype.option(kvDtypeOption, "kv-cache-dtype", source);
      int layers = positive("num_hidden_layers");
      int hidden = positive("hidden_size");
      int heads = positive("num_attention_heads");
      int kvHeads = optionalPositive("num_key_value_heads", heads);
      int vocab = positive("vocab_size");
      boolean tied = bool("tie_word_embeddings", false);
      int slidingWindow = optionalPositive("sliding_window", 0);
      if (!bool("use_sliding_window", true)) {
        slidingWindow = 0;
      }

      // Attention.
      boolean mla = has("kv_lora_rank");
      int headDim;
      int valueHeadDim;
      int kvLatent = 0;
      double attention;
      double norms = 2.0 * hidden;
      if (mla) {
        int kvRank = positive("kv_lora_rank");
        int ropeDim = positive("qk_rope_head_dim");
        int nopeDim = positive("qk_nope_head_dim");
        valueHeadDim = positive("v_head_dim");
        int qRank = optionalPositive("q_lora_rank", 0);
        headDim = nopeDim + ropeDim;
        kvLatent = kvRank + ropeDim;
        double q = qRank > 0
            ? (double) hidden * qRank + (double) qRank * heads * headDim
            : (double) hidden * heads * headDim;
        attention = q + (double) hidden * kvLatent
            + (double) kvRank * heads * (nopeDim + valueHeadDim)
            + (double) heads * valueHeadDim * hidden;
        norms += kvRank + qRank;
      } else {
        headDim = optionalPositive("head_dim", 0);
        if (headDim == 0) {
          if (hidden % heads != 0) {
            throw new BadInputException("Key 'head_dim' missing in " + source + " and hidden_size "
                + hidden + " is not a multiple of num_attention_heads " + heads
                + "; expected a positive integer head_dim");
          }
          headDim = hidden / heads;
        }
        valueHeadDim = headDim;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        attention = 2.0 * hidden * qDim + 2.0 * hidden * kvDim;
        if (qkvBias()) {
          attention += qDim + 2.0 * kvDim;
        }
        if (bool("attention_bias", false)) {
          attention += hidden;
        }
      }

      // MLP: dense layers and, for MoE models, expert layers.
      int experts = firstPositive("num_local_experts", "num_experts", "n_routed_experts");
      int intermediate;
      double denseLayerMlp;
      double moeLayerTotal = 0;
      double moeLayerActive = 0;
      int moeLayers = 0;
      if (experts > 0) {
        int perToken = positive("num_experts_per_tok");
        int expertWidth = has("moe_intermediate_size")
            ? positive("moe_intermediate_size") : positive("intermediate_size");
        intermediate = expertWidth;
        double expert = 3.0 * hidden * expertWidth;
        int sharedCount = optionalNonNegative("n_shared_experts", 0);
        double shared = sharedCount * expert;
        int sharedWidth = optionalNonNegative("shared_expert_intermediate_size", 0);
        shared += 3.0 * hidden * sharedWidth;
        double router = (double) hidden * experts;
        moeLayerTotal = experts * expert + shared + router;
        moeLayerActive = perToken * expert + shared + router;
        int denseFirst = optionalNonNegative("first_k_dense_replace", 0);
        Set<Integer> denseLayers = new HashSet<>(intList("mlp_only_layers"));
        for (int i = 0; i < Math.min(denseFirst, layers); i++) {
          denseLayers.add(i);
        }
        denseLayers.removeIf(i -> i < 0 || i >= layers);
        moeLayers = layers - denseLayers.size();
        denseLayerMlp = moeLayers < layers ? 3.0 * hidden * positive("intermediate_size") : 0;
      } else {
        intermediate = positive("intermediate_size");
        denseLayerMlp = 3.0 * hidden * intermediate;
      }
      int denseLayers = layers - moeLayers;

      double embeddings = (double) vocab * hidden * (tied ? 1 : 2);
      double perLayerCommon = attention + norms;
      double total = embeddings + hidden + layers * perLayerCommon
          + denseLayers * denseLayerMlp + moeLayers * moeLayerTotal;
      double active = embeddings + hidden + layers * perLayerCommon
          + denseLayers * denseLayerMlp + moeLayers * moeLayerActive;

      Dtype configDtype = configDtype();
      Dtype weights = weightOption;
      if (weights == null) {
        weights = fp8Quantized() ? Dtype.FP8 : configDtype;
      }
      Dtype kv = kvOption;
      if (kv == null) {
        kv = weights == Dtype.FP8 ? configDtype : weights;
      }
      return new ModelSpec(name, layers, hidden, heads, kvHeads, headDim, intermediate, vocab,
          total, active, weights.bytes, kv.bytes, kvLatent, valueHeadDim, slidingWindow,
          weights.label, source);
    }

    /** Qwen2-family attention has q/k/v biases without saying so in the config. */
    private boolean qkvBias() {
      if (has("attention_bias")) {
        return bool("attention_bias", false);
      }
      JsonNode type = root.get("model_type");
      return type != null && type.isTextual()
          && (type.asText().equals("qwen2") || type.asText().equals("qwen2_moe"));
    }

    private boolean fp8Quantized() {
      JsonNode q = root.get("quantization_config");
      if (q == null || !q.isObject()) {
        return false;
      }
      JsonNode method = q.get("quant_method");
      return method != null && method.isTextual()
          && method.asText().toLowerCase(Locale.ROOT).startsWith("fp8");
    }

    private Dtype configDtype() {
      String key = has("torch_dtype") ? "torch_dtype" : has("dtype") ? "dtype" : null;
      if (key == null) {
        return Dtype.BF16;
      }
      JsonNode n = root.get(key);
      if (!n.isTextual()) {
        throw new BadInputException("Key '" + key + "' in " + source + " is " + n
            + "; expected a dtype name such as \"bfloat16\"");
      }
      return switch (n.asText().toLowerCase(Locale.ROOT)) {
        case "bfloat16", "bf16", "float32", "fp32" -> Dtype.BF16;
        case "float16", "fp16", "half" -> Dtype.FP16;
        case "float8_e4m3fn", "float8_e5m2", "fp8" -> Dtype.FP8;
        default -> throw new BadInputException("Key '" + key + "' in " + source + " is \""
            + n.asText() + "\"; expected one of bfloat16, float16, float32, float8_e4m3fn");
      };
    }

    private boolean has(String key) {
      JsonNode n = root.get(key);
      return n != null && !n.isNull();
    }

    private int positive(String key) {
      if (!has(key)) {
        throw new BadInputException("Missing key '" + key + "' in " + source
            + "; expected a positive integer");
      }
      return integer(key, 1);
    }

    private int optionalPositive(String key, int fallback) {
      return has(key) ? integer(key, 1) : fallback;
    }

    private int optionalNonNegative(String key, int fallback) {
      return has(key) ? integer(key, 0) : fallback;
    }

    private int firstPositive(String... keys) {
      for (String key : keys) {
        if (has(key)) {
          return integer(key, 1);
        }
      }
      return 0;
    }

    private int integer(String key, int min) {
      JsonNode n = root.get(key);
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min) {
        throw new BadInputException("Key '" + key + "' in " + source + " is " + n + "; expected "
            + (min > 0 ? "a positive integer" : "a non-negative integer"));
      }
      return n.intValue();
    }

    private boolean bool(String key, boolean fallback) {
      if (!has(key)) {
        return fallback;
      }
      JsonNode n = root.get(key);
      if (!n.isBoolean()) {
        throw new BadInputException("Key '" + key + "' in " + source + " is " + n
            + "; expected true or false");
      }
      return n.booleanValue();
    }

    private List<Integer> intList(String key) {
      if (!has(key)) {
        return List.of();
      }
      JsonNode n = root.get(key);
      if (!n.isArray()) {
        throw new BadInputException("Key '" + key + "' in " + source + " is " + n
            + "; expected a list of layer indices");
      }
      List<Integer> out = new ArrayList<>();
      for (JsonNode e : n) {
        if (!e.isIntegralNumber()) {
          throw new BadInputException("Key '" + key + "' in " + source + " holds " + e
              + "; expected a list of layer indices");
        }
        out.add(e.intValue());
      }
      return out;
    }
  }
}
