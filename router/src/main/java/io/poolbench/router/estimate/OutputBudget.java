package io.poolbench.router.estimate;

import io.poolbench.traces.BadInputException;
import java.util.Locale;

/**
 * How many output tokens to reserve for a request that declares no {@code max_tokens}: the papers
 * assume every request has one and give no default (paper-notes §7, §9), so this is ours.
 *
 * <p>The default is {@link Learned}: a per-category percentile (p95) of the
 * {@code usage.completion_tokens} the router has seen, with a fixed fallback until the category
 * has enough samples. A fixed N is arbitrary for mixed traffic, and vLLM's own semantics (chat may
 * run to the end of the context) would reserve nothing a router can act on; a learned percentile
 * follows the traffic and keeps its error visible in the metrics.
 */
public sealed interface OutputBudget {

  /** The default rule: learned p95 per category, 1024 tokens until 10 samples. */
  OutputBudget DEFAULT = new Learned(0.95, 1024);

  /** Always reserve {@code tokens}. */
  record Fixed(int tokens) implements OutputBudget {
    public Fixed {
      if (tokens < 0) {
        throw new BadInputException("output-budget fixed tokens (" + tokens + ") must be >= 0");
      }
    }
  }

  /**
   * Reserve the learned {@code quantile} of completion tokens in the request's category, or
   * {@code fallbackTokens} while the category has fewer than the estimator's min-samples.
   */
  record Learned(double quantile, int fallbackTokens) implements OutputBudget {
    public Learned {
      if (!(quantile > 0 && quantile < 1)) {
        throw new BadInputException(
            "output-budget quantile (" + quantile + ") must be in (0, 1), e.g. 0.95");
      }
      if (fallbackTokens < 0) {
        throw new BadInputException(
            "output-budget fallback tokens (" + fallbackTokens + ") must be >= 0");
      }
    }
  }

  /**
   * vLLM's defaults: completions get 16 tokens; chat without a cap may generate up to
   * {@code max_model_len − prompt} in whichever pool it lands, so nothing is reserved and the
   * request routes on its prompt alone.
   */
  record VllmDefault() implements OutputBudget {
    /** vLLM's default {@code max_tokens} for {@code /v1/completions}. */
    public static final int COMPLETIONS_DEFAULT_TOKENS = 16;
  }

  /**
   * Parses {@code fixed:N}, {@code learned:Q[:FALLBACK]} (Q a quantile such as 0.95) or
   * {@code vllm}.
   */
  static OutputBudget parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    String[] parts = s.split(":");
    try {
      switch (parts[0]) {
        case "fixed":
          if (parts.length == 2) {
            return new Fixed(Integer.parseInt(parts[1].replace("_", "")));
          }
          break;
        case "learned":
          if (parts.length == 2) {
            return new Learned(Double.parseDouble(parts[1]), 1024);
          }
          if (parts.length == 3) {
            return new Learned(
                Double.parseDouble(parts[1]), Integer.parseInt(parts[2].replace("_", "")));
          }
          break;
        case "vllm":
          if (parts.length == 1) {
            return new VllmDefault();
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new BadInputException("output budget '" + spec
        + "' is not one of fixed:<tokens>, learned:<quantile>[:<fallback-tokens>], vllm");
  }
}
