package io.poolbench.router.estimate;

import io.poolbench.traces.BadInputException;
import java.util.Objects;

/**
 * Settings of the token-budget estimator (defaults in {@link #DEFAULTS}).
 *
 * @param defaultBytesPerToken ratio used before a category has {@code minSamples} observations
 *     (4.0, the papers' static baseline)
 * @param beta EMA decay: the weight of the old mean; a new sample gets {@code max(1/n, 1 − β)},
 *     so the first samples form a plain running mean and later ones an EMA. 0.95 (an effective
 *     window of about 20 samples) lets a category converge within the papers' ~50 samples
 * @param gamma safety margin in deviations: the routing ratio is {@code mean − γ·deviation}; 1.0
 * @param floorBytesPerToken lowest routing ratio allowed (1.0: a token is at least ~a byte)
 * @param minSamples observations a category needs before its own ratio is used (10)
 * @param maxCategories named categories kept, not counting the default bucket; later ones share
 *     the default bucket (256)
 * @param fallbackToDefaultBucket when a category is still warming up, use the default bucket's
 *     learned ratio (it sees every sample) instead of the static default, if it has enough samples
 * @param outputBudget output reservation for requests without {@code max_tokens}
 * @param minObservedTokens responses with fewer {@code usage.prompt_tokens} teach the ratio
 *     nothing (64): their count is dominated by chat-template framing (about 10 tokens for a
 *     Llama 3 one-message chat), which would bias the ratio low, and they rarely sit near B_short
 */
public record EstimatorSettings(
    double defaultBytesPerToken,
    double beta,
    double gamma,
    double floorBytesPerToken,
    int minSamples,
    int maxCategories,
    boolean fallbackToDefaultBucket,
    OutputBudget outputBudget,
    int minObservedTokens) {

  /** The defaults listed in the component descriptions. */
  public static final EstimatorSettings DEFAULTS =
      new EstimatorSettings(4.0, 0.95, 1.0, 1.0, 10, 256, true, OutputBudget.DEFAULT, 64);

  /** The first API's constructor: {@code minObservedTokens} takes its default, 64. */
  public EstimatorSettings(double defaultBytesPerToken, double beta, double gamma,
      double floorBytesPerToken, int minSamples, int maxCategories,
      boolean fallbackToDefaultBucket, OutputBudget outputBudget) {
    this(defaultBytesPerToken, beta, gamma, floorBytesPerToken, minSamples, maxCategories,
        fallbackToDefaultBucket, outputBudget, 64);
  }

  public EstimatorSettings {
    Objects.requireNonNull(outputBudget, "outputBudget");
    if (!(defaultBytesPerToken > 0) || Double.isInfinite(defaultBytesPerToken)) {
      throw new BadInputException("estimator default-bytes-per-token (" + defaultBytesPerToken
          + ") must be a positive number");
    }
    if (!(beta >= 0 && beta < 1)) {
      throw new BadInputException("estimator beta (" + beta + ") must be in [0, 1), e.g. 0.95");
    }
    if (!(gamma >= 0) || Double.isInfinite(gamma)) {
      throw new BadInputException("estimator gamma (" + gamma + ") must be >= 0");
    }
    if (!(floorBytesPerToken > 0) || floorBytesPerToken > defaultBytesPerToken) {
      throw new BadInputException("estimator floor-bytes-per-token (" + floorBytesPerToken
          + ") must be > 0 and <= default-bytes-per-token (" + defaultBytesPerToken + ")");
    }
    if (minSamples < 1 || minSamples > TokenBudgetEstimator.MAX_TRACKED_SAMPLES) {
      throw new BadInputException("estimator min-samples (" + minSamples + ") must be in [1, "
          + TokenBudgetEstimator.MAX_TRACKED_SAMPLES + "]");
    }
    if (minObservedTokens < 1) {
      throw new BadInputException(
          "estimator min-observed-tokens (" + minObservedTokens + ") must be >= 1");
    }
    if (maxCategories < 0 || maxCategories > 65_536) {
      throw new BadInputException(
          "estimator max-categories (" + maxCategories + ") must be in [0, 65536]");
    }
  }

  public EstimatorSettings withBeta(double value) {
    return new EstimatorSettings(defaultBytesPerToken, value, gamma, floorBytesPerToken,
        minSamples, maxCategories, fallbackToDefaultBucket, outputBudget, minObservedTokens);
  }

  public EstimatorSettings withGamma(double value) {
    return new EstimatorSettings(defaultBytesPerToken, beta, value, floorBytesPerToken,
        minSamples, maxCategories, fallbackToDefaultBucket, outputBudget, minObservedTokens);
  }

  public EstimatorSettings withMinSamples(int value) {
    return new EstimatorSettings(defaultBytesPerToken, beta, gamma, floorBytesPerToken, value,
        maxCategories, fallbackToDefaultBucket, outputBudget, minObservedTokens);
  }

  public EstimatorSettings withMaxCategories(int value) {
    return new EstimatorSettings(defaultBytesPerToken, beta, gamma, floorBytesPerToken,
        minSamples, value, fallbackToDefaultBucket, outputBudget, minObservedTokens);
  }

  public EstimatorSettings withFallbackToDefaultBucket(boolean value) {
    return new EstimatorSettings(defaultBytesPerToken, beta, gamma, floorBytesPerToken,
        minSamples, maxCategories, value, outputBudget, minObservedTokens);
  }

  public EstimatorSettings withOutputBudget(OutputBudget value) {
    return new EstimatorSettings(defaultBytesPerToken, beta, gamma, floorBytesPerToken,
        minSamples, maxCategories, fallbackToDefaultBucket, value, minObservedTokens);
  }

  public EstimatorSettings withMinObservedTokens(int value) {
    return new EstimatorSettings(defaultBytesPerToken, beta, gamma, floorBytesPerToken,
        minSamples, maxCategories, fallbackToDefaultBucket, outputBudget, value);
  }

  /** Parses an output-budget spec: {@code fixed:N}, {@code learned:Q[:N]} or {@code vllm}. */
  public static OutputBudget parseOutputBudget(String spec) {
    return OutputBudget.parse(spec);
  }
}
