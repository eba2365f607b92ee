package io.poolbench.router.estimate;

import io.poolbench.router.Api;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The tokenizer-free token-budget estimator (arXiv 2604.09613 §2, paper-notes §2.1): per category
 * an EMA of observed bytes per token ({@code bytes ÷ usage.prompt_tokens}) and an EMA of its
 * absolute deviation; estimates divide the prompt's bytes by the conservative ratio
 * {@code max(floor, mean − γ·deviation)} and add the output budget.
 *
 * <p>Concurrency: each category's mean, deviation and (saturating) sample count live in one
 * {@code long} (float32 mean, float16 deviation, uint16 count). Reads are a single volatile load,
 * so they are lock-free and never see a torn pair; updates are a compare-and-set loop, safe from
 * any number of threads, and neither allocates. Every sample also updates the default bucket,
 * which therefore learns the traffic mix.
 */
public final class TokenBudgetEstimator {

  /** Samples the packed per-category count tracks before saturating (enough for the EMA). */
  public static final int MAX_TRACKED_SAMPLES = 0xFFFF;

  private static final int STRIDE = 8; // one category per 64-byte cache line under contention
  private static final int MODE_FIXED = 0;
  private static final int MODE_LEARNED = 1;
  private static final int MODE_VLLM = 2;

  private final EstimatorSettings settings;
  private final CategoryTable categories;
  private final AtomicLongArray state;
  private final AtomicLongArray samples;
  private final CompletionQuantiles completions;
  private final double defaultRatio;
  private final double gamma;
  private final double floor;
  private final double beta;
  private final int minSamples;
  private final int minObservedTokens;
  private final boolean fallbackToDefault;
  private final int outputMode;
  private final int outputTokens;

  /** An estimator with {@link EstimatorSettings#DEFAULTS}. */
  public TokenBudgetEstimator() {
    this(EstimatorSettings.DEFAULTS);
  }

  public TokenBudgetEstimator(EstimatorSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.categories = new CategoryTable(settings.maxCategories());
    int slots = categories.capacity();
    this.state = new AtomicLongArray(slots * STRIDE);
    this.samples = new AtomicLongArray(slots);
    this.defaultRatio = settings.defaultBytesPerToken();
    this.gamma = settings.gamma();
    this.floor = settings.floorBytesPerToken();
    this.beta = settings.beta();
    this.minSamples = settings.minSamples();
    this.minObservedTokens = settings.minObservedTokens();
    this.fallbackToDefault = settings.fallbackToDefaultBucket();
    long initial = pack((float) defaultRatio, 0f, 0);
    for (int i = 0; i < slots; i++) {
      state.set(i * STRIDE, initial);
    }
    switch (settings.outputBudget()) {
      case OutputBudget.Fixed f -> {
        outputMode = MODE_FIXED;
        outputTokens = f.tokens();
        completions = null;
      }
      case OutputBudget.Learned l -> {
        outputMode = MODE_LEARNED;
        outputTokens = l.fallbackTokens();
        completions = new CompletionQuantiles(slots, l.quantile());
      }
      case OutputBudget.VllmDefault v -> {
        outputMode = MODE_VLLM;
        outputTokens = OutputBudget.VllmDefault.COMPLETIONS_DEFAULT_TOKENS;
        completions = null;
      }
    }
  }

  public EstimatorSettings settings() {
    return settings;
  }

  /** The bounded category table (index 0 is the default bucket). */
  public CategoryTable categories() {
    return categories;
  }

  /** The index for category {@code name}, registering it while there is room. */
  public int categoryIndex(String name) {
    return categories.indexOf(name);
  }

  /**
   * Fills {@code out}'s estimate fields for {@code request}: its category index (resolved and
   * stored back into the view when unset), estimated prompt tokens and output budget.
   * Allocation-free for known categories.
   */
  public void estimate(RequestView request, RouteDecision out) {
    int category = request.categoryIndex();
    if (category < 0) {
      category = categories.indexOf(request.category());
      request.categoryIndex(category);
    }
    long prompt = estimatePromptTokens(request.promptBytes(), category);
    if (request.exactPromptTokens() > 0) {
      prompt += request.exactPromptTokens();
    }
    out.estimate(category, prompt, outputBudget(request, category));
  }

  /** ⌈bytes ÷ routing ratio⌉ for {@code category}; 0 for an empty prompt. Monotone in bytes. */
  public long estimatePromptTokens(long promptBytes, int category) {
    if (promptBytes <= 0) {
      return 0;
    }
    return (long) Math.ceil(promptBytes / routingRatio(category));
  }

  /** Output tokens to reserve: the request's cap, else the configured {@link OutputBudget}. */
  public long outputBudget(RequestView request, int category) {
    if (request.hasMaxTokens()) {
      return request.maxTokens();
    }
    return switch (outputMode) {
      case MODE_FIXED -> outputTokens;
      case MODE_LEARNED -> learnedOutput(category);
      default -> request.api() == Api.COMPLETIONS ? outputTokens : 0;
    };
  }

  private long learnedOutput(int category) {
    if (completions.count(category) >= minSamples) {
      return completions.quantile(category);
    }
    if (fallbackToDefault && completions.count(CategoryTable.DEFAULT_INDEX) >= minSamples) {
      return completions.quantile(CategoryTable.DEFAULT_INDEX);
    }
    return outputTokens;
  }

  /**
   * The bytes-per-token ratio routing uses for {@code category}: the conservative
   * {@code max(floor, mean − γ·deviation)} once calibrated, else the default bucket's (when
   * enabled and calibrated), else the static default.
   */
  public double routingRatio(int category) {
    long word = state.get(category * STRIDE);
    if (countOf(word) >= minSamples) {
      return conservative(word);
    }
    if (fallbackToDefault && category != CategoryTable.DEFAULT_INDEX) {
      long fallback = state.get(0);
      if (countOf(fallback) >= minSamples) {
        return conservative(fallback);
      }
    }
    return defaultRatio;
  }

  /** The EMA of observed bytes per token (the default ratio before any sample). */
  public double meanRatio(int category) {
    return meanOf(state.get(category * STRIDE));
  }

  /** The EMA of |observed − mean| bytes per token. */
  public double deviation(int category) {
    return devOf(state.get(category * STRIDE));
  }

  /** Prompt-token observations accepted for {@code category}. */
  public long samples(int category) {
    return samples.get(category);
  }

  /** True when {@code category} has its own calibrated ratio. */
  public boolean calibrated(int category) {
    return countOf(state.get(category * STRIDE)) >= minSamples;
  }

  /**
   * Learns from one response: {@code usage.prompt_tokens} for a prompt of {@code promptBytes}
   * bytes in {@code category}. Updates the category and the default bucket; ignores empty
   * prompts and prompts under {@code min-observed-tokens}. Safe from any thread; allocation-free.
   */
  public void observe(int category, long promptBytes, int promptTokens) {
    if (promptBytes <= 0 || promptTokens < minObservedTokens) {
      return;
    }
    double observed = (double) promptBytes / promptTokens;
    update(category, observed);
    if (category != CategoryTable.DEFAULT_INDEX) {
      update(CategoryTable.DEFAULT_INDEX, observed);
    }
  }

  /** Learns one {@code usage.completion_tokens} value (used by the learned output budget). */
  public void observeCompletion(int category, int completionTokens) {
    if (completions == null || completionTokens < 0) {
      return;
    }
    completions.record(category, completionTokens);
    if (category != CategoryTable.DEFAULT_INDEX) {
      completions.record(CategoryTable.DEFAULT_INDEX, completionTokens);
    }
  }

  private void update(int category, double observed) {
    int slot = category * STRIDE;
    long old;
    long next;
    do {
      old = state.get(slot);
      int n = countOf(old);
      double mean = meanOf(old);
      double dev = devOf(old);
      if (n == 0) {
        mean = observed;
        dev = 0;
      } else {
        double error = Math.abs(observed - mean);
        double weight = Math.max(1.0 / (n + 1), 1 - beta);
        mean += weight * (observed - mean);
        // the deviation gets its first sample with the second observation
        double devWeight = Math.max(1.0 / n, 1 - beta);
        dev += devWeight * (error - dev);
      }
      next = pack((float) mean, (float) dev, Math.min(n + 1, MAX_TRACKED_SAMPLES));
    } while (!state.compareAndSet(slot, old, next));
    samples.incrementAndGet(category);
  }

  private double conservative(long word) {
    return Math.max(floor, meanOf(word) - gamma * devOf(word));
  }

  /** A consistent snapshot of every category in use, for metrics and reports. */
  public List<CategoryStats> snapshot() {
    int n = categories.size();
    List<CategoryStats> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(stats(i));
    }
    return out;
  }

  /** A consistent snapshot of one category. */
  public CategoryStats stats(int category) {
    long word = state.get(category * STRIDE);
    double ratio = countOf(word) >= minSamples ? conservative(word) : routingRatio(category);
    long outputQuantile = completions == null ? -1 : completions.quantile(category);
    return new CategoryStats(categories.name(category), category, meanOf(word), devOf(word),
        ratio, samples.get(category), countOf(word) >= minSamples, outputQuantile);
  }

  static long pack(float mean, float dev, int count) {
    return ((long) Float.floatToRawIntBits(mean) << 32)
        | ((long) (Float.floatToFloat16(dev) & 0xFFFF) << 16)
        | (count & 0xFFFF);
  }

  static double meanOf(long word) {
    return Float.intBitsToFloat((int) (word >>> 32));
  }

  static double devOf(long word) {
    return Float.float16ToFloat((short) (word >>> 16));
  }

  static int countOf(long word) {
    return (int) (word & 0xFFFF);
  }
}
