package io.poolbench.harness.catalog;

import io.poolbench.traces.BadInputException;
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
    model(new ModelSpec("llama-3-8b", 32, 4096, 32, 8, 128, 14336, 128256, 8.03e9, 8.03e9, 2, 2));
    model(new ModelSpec("llama-3-70b", 80, 8192, 64, 8, 128, 28672, 128256, 70.6e9, 70.6e9, 2,
        2));
    // Qwen/Qwen2-7B-Instruct config.json: 28 layers, hidden 3584, 28 heads, 4 KV heads,
    // intermediate 18944, vocab 152064, untied embeddings, BF16; 7.62 B parameters
    model(new ModelSpec("qwen2-7b", 28, 3584, 28, 4, 128, 18944, 152064, 7.62e9, 7.62e9, 2, 2));
    model(new ModelSpec("qwen3-235b-a22b-fp8", 94, 4096, 64, 4, 128, 1536, 151936, 235e9, 22e9,
        1, 2));
  }

  private Catalog() {}

  private static void gpu(Gpu g) {
    GPUS.put(g.name(), g);
  }

  private static void model(ModelSpec m) {
    MODELS.put(m.name(), m);
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

  public static Map<String, Gpu> gpus() {
    return Map.copyOf(GPUS);
  }

  public static Map<String, ModelSpec> models() {
    return Map.copyOf(MODELS);
  }
}
