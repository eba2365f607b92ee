package io.poolbench.harness.catalog;

import io.poolbench.traces.BadInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in GPUs and models. GPU figures are the vendors' data-sheet values (dense, without
 * sparsity): NVIDIA A100 (80 GB SXM: 312 TFLOP/s BF16, 2,039 GB/s), H100 SXM (989 / 1,979
 * TFLOP/s BF16 / FP8, 3.35 TB/s), H200 (989 / 1,979, 4.8 TB/s, 141 GB), AMD MI300X (1,307 / 2,615,
 * 5.3 TB/s, 192 GB). Model figures come from each model's Hugging Face {@code config.json}.
 */
public final class Catalog {
  private static final long GIB = 1L << 30;

  private static final Map<String, Gpu> GPUS = new LinkedHashMap<>();
  private static final Map<String, ModelSpec> MODELS = new LinkedHashMap<>();

  static {
    gpu(new Gpu("a100-80gb", 80 * GIB, 312e12, 0, 2.039e12, 2.21,
        "arXiv 2604.08075 ($2.21/GPU-hour)"));
    gpu(new Gpu("h100-80gb", 80 * GIB, 989e12, 1979e12, 3.35e12, 2.99,
        "assumed on-demand list price; override with --gpu-price"));
    gpu(new Gpu("h200", 141_000_000_000L, 989e12, 1979e12, 4.8e12, 3.50,
        "assumed on-demand list price; override with --gpu-price"));
    gpu(new Gpu("mi300x", 192 * GIB, 1307e12, 2615e12, 5.3e12, 3.67,
        "arXiv 2604.08075 ($3.67/GPU-hour)"));
    // Each model is derived from the config.json published in its Hugging Face repository,
    // shipped under resources io/poolbench/harness/catalog/models/<name>.json.
    builtin("llama-2-7b", "meta-llama/Llama-2-7b-hf");
    builtin("llama-3-8b", "meta-llama/Meta-Llama-3-8B");
    builtin("llama-3-70b", "meta-llama/Meta-Llama-3-70B");
    builtin("mistral-7b", "mistralai/Mistral-7B-v0.1");
    builtin("mixtral-8x7b", "mistralai/Mixtral-8x7B-v0.1");
    builtin("qwen2-7b", "Qwen/Qwen2-7B-Instruct");
    builtin("qwen3-8b", "Qwen/Qwen3-8B");
    builtin("qwen3-235b-a22b-fp8", "Qwen/Qwen3-235B-A22B-FP8");
    builtin("deepseek-v3", "deepseek-ai/DeepSeek-V3");
  }

  private Catalog() {}

  private static void gpu(Gpu g) {
    GPUS.put(g.name(), g);
  }

  private static void builtin(String name, String huggingFaceRepo) {
    MODELS.put(name, HfModelConfig.builtin(name, "huggingface.co/" + huggingFaceRepo));
  }

  /** The GPU named {@code name} (case-insensitive). */
  public static Gpu gpu(String name) {
    Gpu g = GPUS.get(name.toLowerCase(Locale.ROOT));
    if (g == null) {
      throw new BadInputException("Unknown GPU '" + name + "'; expected one of " + GPUS.keySet());
    }
    return g;
  }

  /** The model named {@code name} (case-insensitive; {@code qwen3-235b-a22b} means the FP8 one). */
  public static ModelSpec model(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    ModelSpec m = MODELS.get(key);
    if (m == null) {
      m = MODELS.get(key + "-fp8");
    }
    if (m == null) {
      throw new BadInputException(
          "Unknown model '" + name + "'; expected one of " + MODELS.keySet());
    }
    return m;
  }

  /** The built-in GPUs by name, in catalog order. */
  public static Map<String, Gpu> gpus() {
    return Collections.unmodifiableMap(GPUS);
  }

  /** The built-in models by name, in catalog order. */
  public static Map<String, ModelSpec> models() {
    return Collections.unmodifiableMap(MODELS);
  }
}
