package io.poolbench.router.estimate;

import io.poolbench.traces.BadInputException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a trace's prompt token count into a prompt byte length, for simulation: traces carry
 * tokens but the router estimates from bytes. Each category has a true bytes-per-token ratio
 * (by default the papers' Table 5: prose 4.48, code 3.52, CJK 2.01), and each request gets a
 * deterministic uniform jitter of ±{@code jitter} around it, keyed by seed and request index, so
 * runs repeat exactly. Allocation-free and thread-safe.
 */
public final class PromptBytesModel {

  /** The papers' true ratios, ±5% per request, unknown categories as English prose. */
  public static final PromptBytesModel PAPER = new PromptBytesModel(
      Map.of("prose", 4.48, "code", 3.52, "cjk", 2.01), 4.48, 0.05, 1);

  private final Map<String, Double> ratios;
  /** The same ratios under lower-case names: one hash lookup for the usual lower-case names. */
  private final Map<String, Double> lowerCase;
  private final double defaultRatio;
  private final double jitter;
  private final long seed;

  /**
   * @param ratios true bytes per token by category name (names matched case-insensitively)
   * @param defaultRatio ratio for a null or unlisted category
   * @param jitter relative half-width of the per-request uniform noise, in [0, 1)
   * @param seed noise seed
   */
  public PromptBytesModel(Map<String, Double> ratios, double defaultRatio, double jitter,
      long seed) {
    Objects.requireNonNull(ratios, "ratios");
    TreeMap<String, Double> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ratios.forEach((k, v) -> {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new BadInputException("bytes-per-token ratio of '" + k + "' (" + v
            + ") must be a positive number");
      }
      byName.put(k, v);
    });
    if (!(defaultRatio > 0) || Double.isInfinite(defaultRatio)) {
      throw new BadInputException(
          "default bytes-per-token ratio (" + defaultRatio + ") must be a positive number");
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new BadInputException("bytes-per-token jitter (" + jitter + ") must be in [0, 1)");
    }
    this.ratios = byName;
    Map<String, Double> lower = new HashMap<>();
    byName.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    this.lowerCase = Map.copyOf(lower);
    this.defaultRatio = defaultRatio;
    this.jitter = jitter;
    this.seed = seed;
  }

  /** The true mean ratio of {@code category}. */
  public double trueRatio(String category) {
    if (category == null) {
      return defaultRatio;
    }
    Double r = lowerCase.get(category);
    if (r == null) {
      r = ratios.get(category); // any other spelling
    }
    return r == null ? defaultRatio : r;
  }

  /** Prompt bytes for request {@code requestIndex} with {@code promptTokens} tokens. */
  public long promptBytes(int promptTokens, String category, long requestIndex) {
    if (promptTokens <= 0) {
      return 0;
    }
    long z = mix(seed + requestIndex * 0x9E3779B97F4A7C15L);
    double unit = (z >>> 11) * 0x1.0p-53; // [0, 1)
    double ratio = trueRatio(category) * (1 + jitter * (2 * unit - 1));
    return Math.max(1, Math.round(promptTokens * ratio));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return String.format(Locale.US, "PromptBytesModel[ratios=%s, default=%.2f, jitter=%.3f, "
        + "seed=%d]", ratios, defaultRatio, jitter, seed);
  }
}
