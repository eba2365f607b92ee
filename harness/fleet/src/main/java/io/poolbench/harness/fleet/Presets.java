package io.poolbench.harness.fleet;

import io.poolbench.traces.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in presets.
 *
 * <ul>
 *   <li>{@code paper-a100}: the papers' Llama-3-70B on A100-80GB, TP 2, with their simulator's
 *       assumptions: the affine step model (W = 8 ms, H = 0.65 ms at 8K), 65,536 KV blocks per
 *       instance forced (which real A100 memory cannot hold, so no OOM check), homogeneous
 *       64K / 16 sequences / 8K batched tokens versus short 8K / 128 / 16K; one GPU counted per
 *       instance, as the papers count (⌈1000 / 2.8⌉ = 358 "GPUs").
 *   <li>{@code paper-a100-grounded}: the same pool shapes with the roofline step model and the
 *       KV capacity real memory gives; TP 4, because a 64K sequence of Llama-3-70B does not fit
 *       next to the weights on two 80 GB A100s; all four GPUs billed.
 *   <li>{@code paper-mi300x}: Qwen3-235B-A22B FP8 on MI300X nodes of 8 GPUs at 10,000 req/s. The
 *       papers give no MI300X step profile; this preset spreads their per-GPU A100 profile over
 *       the 8 GPUs of a node (8× the sequences and blocks per instance) and scales W and H by the
 *       HBM bandwidth ratio (2.039 / 5.3 TB/s).
 *   <li>{@code paper-mi300x-grounded}: the same nodes with the roofline and real KV capacity.
 * </ul>
 *
 * <p>All presets pick instances round-robin inside a pool, as the papers' baseline dispatches.
 */
public final class Presets {
  private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

  static {
    add(paperA100());
    add(paperA100Grounded());
    add(paperMi300x());
    add(paperMi300xGrounded());
  }

  private Presets() {}

  private static void add(Preset p) {
    PRESETS.put(p.name(), p);
  }

  /** The preset named {@code name} (case-insensitive). */
  public static Preset named(String name) {
    Preset p = PRESETS.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new BadInputException("Unknown preset '" + name + "'; expected one of "
          + String.join(", ", PRESETS.keySet()));
    }
    return p;
  }

  public static List<Preset> all() {
    return List.copyOf(PRESETS.values());
  }

  private static FleetConfig.Pool pool(String name, int instances, int tp, int billed,
      int maxModelLen, int seqs, int batched, Integer blocks) {
    return new FleetConfig.Pool(name, instances, tp, billed, maxModelLen, seqs, batched, blocks,
        0);
  }

  private static FleetConfig fleet(String name, String model, String gpu, String perf,
      FleetConfig.Affine affine, List<FleetConfig.Pool> pools, String policy) {
    return new FleetConfig(name, model, gpu, null, perf, affine, 0.9, null, pools,
        new FleetConfig.Routing(policy, null, true, 0.85, "round-robin"), null, 1L, true, null);
  }

  static Preset paperA100() {
    FleetConfig.Affine affine = new FleetConfig.Affine(8.0, 0.65, 8192);
    FleetConfig.Pool homo = pool("homogeneous", 358, 2, 1, 65536, 16, 8192, 65536);
    FleetConfig.Pool shortPool = pool("short", 104, 2, 1, 8192, 128, 16384, 65536);
    FleetConfig.Pool longPool = pool("long", 104, 2, 1, 65536, 16, 8192, 65536);
    return new Preset("paper-a100",
        "Llama-3-70B on A100-80GB (TP 2) with the papers' affine model and 65,536 forced blocks",
        fleet("paper-a100-homogeneous", "llama-3-70b", "a100-80gb", "affine", affine,
            List.of(homo), "single"),
        fleet("paper-a100-two-pool", "llama-3-70b", "a100-80gb", "affine", affine,
            List.of(shortPool, longPool), "token-budget"),
        1000);
  }

  static Preset paperA100Grounded() {
    FleetConfig.Pool homo = pool("homogeneous", 180, 4, 4, 65536, 16, 2048, null);
    FleetConfig.Pool shortPool = pool("short", 52, 4, 4, 8192, 128, 2048, null);
    FleetConfig.Pool longPool = pool("long", 52, 4, 4, 65536, 16, 2048, null);
    return new Preset("paper-a100-grounded",
        "Llama-3-70B on A100-80GB (TP 4) with the roofline model and real KV capacity",
        fleet("paper-a100-grounded-homogeneous", "llama-3-70b", "a100-80gb", "roofline", null,
            List.of(homo), "single"),
        fleet("paper-a100-grounded-two-pool", "llama-3-70b", "a100-80gb", "roofline", null,
            List.of(shortPool, longPool), "token-budget"),
        1000);
  }

  static Preset paperMi300x() {
    double ratio = 2.039 / 5.3;
    FleetConfig.Affine affine = new FleetConfig.Affine(8.0 * ratio, 0.65 * ratio / 8, 8192);
    FleetConfig.Pool homo = pool("homogeneous", 197, 8, 8, 65536, 128, 65536, 8 * 65536);
    FleetConfig.Pool shortPool = pool("short", 60, 8, 8, 8192, 1024, 131072, 8 * 65536);
    FleetConfig.Pool longPool = pool("long", 77, 8, 8, 65536, 128, 65536, 8 * 65536);
    return new Preset("paper-mi300x",
        "Qwen3-235B-A22B FP8 on MI300X nodes of 8 GPUs with the papers' per-GPU profile scaled",
        fleet("paper-mi300x-homogeneous", "qwen3-235b-a22b-fp8", "mi300x", "affine", affine,
            List.of(homo), "single"),
        fleet("paper-mi300x-two-pool", "qwen3-235b-a22b-fp8", "mi300x", "affine", affine,
            List.of(shortPool, longPool), "token-budget"),
        10000);
  }

  static Preset paperMi300xGrounded() {
    FleetConfig.Pool homo = pool("homogeneous", 197, 8, 8, 65536, 128, 16384, null);
    FleetConfig.Pool shortPool = pool("short", 60, 8, 8, 8192, 1024, 16384, null);
    FleetConfig.Pool longPool = pool("long", 77, 8, 8, 65536, 128, 16384, null);
    return new Preset("paper-mi300x-grounded",
        "Qwen3-235B-A22B FP8 on MI300X nodes of 8 GPUs with the roofline and real KV capacity",
        fleet("paper-mi300x-grounded-homogeneous", "qwen3-235b-a22b-fp8", "mi300x", "roofline",
            null, List.of(homo), "single"),
        fleet("paper-mi300x-grounded-two-pool", "qwen3-235b-a22b-fp8", "mi300x", "roofline",
            null, List.of(shortPool, longPool), "token-budget"),
        10000);
  }
}
