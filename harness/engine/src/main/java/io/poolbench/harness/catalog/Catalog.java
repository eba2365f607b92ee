package io.poolbench.harness.catalog;

import io.poolbench.traces.BadInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in GPUs and models.
 *
 * <p>GPU figures are the vendors' data-sheet values: memory, peak memory bandwidth, and dense
 * BF16 and FP8 tensor-core peaks (data sheets quote the FP8, and for Hopper and later also the
 * BF16, figures "with sparsity"; those are halved here). FP8 is 0 where the GPU has none
 * (Ampere). Memory is the capacity the runtime reports, since that is what vLLM's
 * gpu-memory-utilization applies to: nvidia-smi's memory.total (A100 40,960 / 81,920 MiB, H100
 * NVL 95,830, H200 143,771, B200 183,359, L40S 46,068, L4 23,034 MiB), binary GiB for the
 * 80 GB H100s and AMD's parts (196,608 / 262,144 MiB). These sit between the data sheets'
 * decimal GB and the same number of GiB. The default prices of {@code a100-80gb} and
 * {@code mi300x} are the paper's; the others are an assumed on-demand list price (override
 * with {@code --gpu-price} or a fleet file's {@code gpu-price}).
 *
 * <p>Model figures are derived by {@link HfModelConfig} from each model's Hugging Face
 * {@code config.json}, shipped as a resource.
 */
public final class Catalog {
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;
  private static final double T = 1e12;
  private static final String ASSUMED = "assumed on-demand list price; override with --gpu-price";

  private static final Map<String, Gpu> GPUS = new LinkedHashMap<>();
  private static final Map<String, String> GPU_ALIASES = new LinkedHashMap<>();
  private static final Map<String, ModelSpec> MODELS = new LinkedHashMap<>();
  private static final Map<String, String> MODEL_ORIGINS = new LinkedHashMap<>();

  static {
    // NVIDIA A100 Tensor Core GPU data sheet: 40 GB HBM2 at 1,555 GB/s (SXM), 80 GB HBM2e at
    // 2,039 GB/s (SXM) and 1,935 GB/s (PCIe); BF16 312 TFLOP/s dense; no FP8.
    String a100 = "NVIDIA A100 Tensor Core GPU data sheet";
    gpu(new Gpu("a100-40gb", 40 * GIB, 312 * T, 0, 1.555e12, 1.29, ASSUMED, a100 + " (SXM)"));
    gpu(new Gpu("a100-80gb", 80 * GIB, 312 * T, 0, 2.039e12, 2.21,
        "arXiv 2604.08075 ($2.21/GPU-hour)", a100 + " (SXM)"));
    gpu(new Gpu("a100-80gb-pcie", 80 * GIB, 312 * T, 0, 1.935e12, 1.89, ASSUMED,
        a100 + " (PCIe)"));
    // NVIDIA H100 Tensor Core GPU data sheet: SXM 80 GB at 3.35 TB/s, BF16 1,979 / FP8 3,958
    // TFLOP/s with sparsity; PCIe 80 GB at 2 TB/s, 1,513 / 3,026; NVL 94 GB at 3.9 TB/s,
    // 1,671 / 3,341.
    String h100 = "NVIDIA H100 Tensor Core GPU data sheet";
    gpu(new Gpu("h100-sxm", 80 * GIB, 989.5 * T, 1979 * T, 3.35e12, 2.99, ASSUMED,
        h100 + " (SXM)"));
    GPU_ALIASES.put("h100-80gb", "h100-sxm");
    gpu(new Gpu("h100-pcie", 80 * GIB, 756.5 * T, 1513 * T, 2.0e12, 2.49, ASSUMED,
        h100 + " (PCIe)"));
    gpu(new Gpu("h100-nvl", 95_830 * MIB, 835.5 * T, 1670.5 * T, 3.9e12, 2.79, ASSUMED,
        h100 + " (H100 NVL)"));
    // NVIDIA H200 Tensor Core GPU data sheet (SXM): 141 GB HBM3e at 4.8 TB/s; BF16 1,979 / FP8
    // 3,958 TFLOP/s with sparsity.
    gpu(new Gpu("h200", 143_771 * MIB, 989.5 * T, 1979 * T, 4.8e12, 3.50, ASSUMED,
        "NVIDIA H200 Tensor Core GPU data sheet (SXM)"));
    // NVIDIA DGX B200 and HGX B200 data sheets, per GPU (8-GPU totals / 8): 180 GB HBM3e at 8 TB/s; FP8 72 and
    // BF16 36 PFLOP/s per system with sparsity -> 4.5 / 2.25 PFLOP/s dense per GPU.
    gpu(new Gpu("b200", 183_359 * MIB, 2250 * T, 4500 * T, 8.0e12, 4.99, ASSUMED,
        "NVIDIA DGX B200 / HGX B200 data sheets (per GPU)"));
    // NVIDIA L40S data sheet: 48 GB GDDR6 at 864 GB/s; BF16 362.05 / FP8 733 TFLOP/s dense.
    gpu(new Gpu("l40s", 46_068 * MIB, 362.05 * T, 733 * T, 864e9, 1.04, ASSUMED,
        "NVIDIA L40S GPU data sheet"));
    // NVIDIA L4 Tensor Core GPU data sheet: 24 GB GDDR6 at 300 GB/s; BF16 242 / FP8 485
    // TFLOP/s with sparsity.
    gpu(new Gpu("l4", 23_034 * MIB, 121 * T, 242.5 * T, 300e9, 0.80, ASSUMED,
        "NVIDIA L4 Tensor Core GPU data sheet"));
    // AMD Instinct MI300X data sheet: 192 GB HBM3 at 5.3 TB/s; BF16 1,307.4 / FP8 2,614.9
    // TFLOP/s dense.
    gpu(new Gpu("mi300x", 192 * GIB, 1307.4 * T, 2614.9 * T, 5.3e12, 3.67,
        "arXiv 2604.08075 ($3.67/GPU-hour)", "AMD Instinct MI300X data sheet"));
    // AMD Instinct MI325X data sheet: 256 GB HBM3E at 6 TB/s; BF16 1,307.4 / FP8 2,614.9
    // TFLOP/s dense.
    gpu(new Gpu("mi325x", 256 * GIB, 1307.4 * T, 2614.9 * T, 6.0e12, 4.00, ASSUMED,
        "AMD Instinct MI325X data sheet"));

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
    MODEL_ORIGINS.put(name, "huggingface.co/" + huggingFaceRepo);
    MODELS.put(name, HfModelConfig.builtin(name, MODEL_ORIGINS.get(name)));
  }

  /**
   * The GPU named {@code name} (case-insensitive). An alias ({@code h100-80gb} for
   * {@code h100-sxm}) gives the same figures under the alias's name.
   */
  public static Gpu gpu(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    String target = GPU_ALIASES.get(key);
    if (target != null) {
      Gpu g = GPUS.get(target);
      return new Gpu(key, g.memoryBytes(), g.bf16Flops(), g.fp8Flops(), g.hbmBytesPerSecond(),
          g.dollarsPerHour(), g.priceSource(), g.source());
    }
    Gpu g = GPUS.get(key);
    if (g == null) {
      throw new BadInputException("Unknown GPU '" + name + "'; expected one of " + GPUS.keySet()
          + " or an alias " + GPU_ALIASES.keySet());
    }
    return g;
  }

  /** The GPU aliases and the catalog names they stand for. */
  public static Map<String, String> gpuAliases() {
    return Collections.unmodifiableMap(GPU_ALIASES);
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

  /**
   * The model named {@code name} as {@link #model(String)} finds it, re-derived with
   * {@code dtype} and {@code kvCacheDtype} ({@code null} or {@code auto}: the config's).
   */
  public static ModelSpec model(String name, String dtype, String kvCacheDtype) {
    ModelSpec m = model(name);
    if (isAuto(dtype) && isAuto(kvCacheDtype)) {
      return m;
    }
    return HfModelConfig.builtin(m.name(), MODEL_ORIGINS.get(m.name()), dtype, kvCacheDtype);
  }

  private static boolean isAuto(String dtype) {
    return dtype == null || dtype.isBlank() || dtype.equalsIgnoreCase("auto");
  }

  /** The built-in models by name, in catalog order. */
  public static Map<String, ModelSpec> models() {
    return Collections.unmodifiableMap(MODELS);
  }
}
