package io.poolbench.router;

/**
 * The result of one routing decision: the chosen pool, the token estimate behind it, whether it
 * spilled over, and the next larger pool to retry if the chosen one answers with vLLM's
 * context-length 400.
 *
 * <p>Mutable and reusable like {@link RequestView}, so the decision path does not allocate; one
 * instance per thread or per in-flight request. Filled by {@link PoolRouter#decide}.
 */
public final class RouteDecision {

  /** Sentinel pool index: no pool (for {@link #fallbackPool()}, no larger pool exists). */
  public static final int NO_POOL = -1;

  int pool = NO_POOL;
  int preferredPool = NO_POOL;
  int categoryIndex;
  long promptBytes;
  boolean exactPrompt;
  long estimatedPromptTokens;
  long outputBudgetTokens;
  long routedTokens;
  boolean spilled;
  boolean overLimit;
  int fallbackPool = NO_POOL;
  int retries;

  /** Index of the chosen pool in the router's pool list. */
  public int pool() {
    return pool;
  }

  /** The pool the policy wanted before spillover (equal to {@link #pool()} unless spilled). */
  public int preferredPool() {
    return preferredPool;
  }

  /** The estimator category the decision used (0 is the default bucket). */
  public int categoryIndex() {
    return categoryIndex;
  }

  /** The request's prompt bytes, kept so feedback needs only the decision. */
  public long promptBytes() {
    return promptBytes;
  }

  /** True when part of the prompt was token ids (counted exactly; teaches the ratio nothing). */
  public boolean exactPrompt() {
    return exactPrompt;
  }

  /** Estimated prompt tokens: ⌈bytes ÷ ratio⌉ plus any exactly counted token-id prompt tokens. */
  public long estimatedPromptTokens() {
    return estimatedPromptTokens;
  }

  /** Output tokens reserved: {@code max_tokens}, or the configured rule when it is absent. */
  public long outputBudgetTokens() {
    return outputBudgetTokens;
  }

  /** Estimated total budget: prompt estimate plus output budget (the papers' L_total). */
  public long estimatedTotalTokens() {
    return estimatedPromptTokens + outputBudgetTokens;
  }

  /**
   * The token count the policy actually compared with thresholds: the estimated total for
   * {@code token-budget}, the prompt estimate for {@code prompt-only}, the true total for
   * {@code oracle}.
   */
  public long routedTokens() {
    return routedTokens;
  }

  /** True when load pushed the request from its preferred pool to a larger one. */
  public boolean spilled() {
    return spilled;
  }

  /**
   * True when no pool's {@code max_model_len} holds {@link #routedTokens()}: the request went to
   * the largest pool, which will probably answer with a context-length 400.
   */
  public boolean overLimit() {
    return overLimit;
  }

  /** The next larger pool to retry after a context-length 400, or {@link #NO_POOL}. */
  public int fallbackPool() {
    return fallbackPool;
  }

  /** True when a larger pool exists to retry in. */
  public boolean hasFallback() {
    return fallbackPool != NO_POOL;
  }

  /** How many context-length fallbacks this request took so far (each one is a misroute). */
  public int retries() {
    return retries;
  }

  /** Resets the decision so it can be reused. */
  public RouteDecision clear() {
    pool = NO_POOL;
    preferredPool = NO_POOL;
    categoryIndex = 0;
    promptBytes = 0;
    exactPrompt = false;
    estimatedPromptTokens = 0;
    outputBudgetTokens = 0;
    routedTokens = 0;
    spilled = false;
    overLimit = false;
    fallbackPool = NO_POOL;
    retries = 0;
    return this;
  }

  /** Policies record their choice through this (the fields stay package-private otherwise). */
  public void choose(int chosenPool, int preferred, long tokens, boolean spill, boolean over) {
    this.pool = chosenPool;
    this.preferredPool = preferred;
    this.routedTokens = tokens;
    this.spilled = spill;
    this.overLimit = over;
  }

  /** Sets the estimate fields; the router calls this before the policy runs. */
  public void estimate(int category, long promptTokens, long outputTokens) {
    this.categoryIndex = category;
    this.estimatedPromptTokens = promptTokens;
    this.outputBudgetTokens = outputTokens;
  }

  /** Records which request the estimate describes; the router calls this before estimating. */
  public void request(long bytes, boolean tokenIds) {
    this.promptBytes = bytes;
    this.exactPrompt = tokenIds;
  }

  /** Copies every field of {@code other} (for callers that keep decisions of in-flight work). */
  public RouteDecision copyFrom(RouteDecision other) {
    pool = other.pool;
    preferredPool = other.preferredPool;
    categoryIndex = other.categoryIndex;
    promptBytes = other.promptBytes;
    exactPrompt = other.exactPrompt;
    estimatedPromptTokens = other.estimatedPromptTokens;
    outputBudgetTokens = other.outputBudgetTokens;
    routedTokens = other.routedTokens;
    spilled = other.spilled;
    overLimit = other.overLimit;
    fallbackPool = other.fallbackPool;
    retries = other.retries;
    return this;
  }

  @Override
  public String toString() {
    return "RouteDecision[pool=" + pool + ", preferred=" + preferredPool + ", category="
        + categoryIndex + ", promptBytes=" + promptBytes + ", promptTokens=" + estimatedPromptTokens + ", outputTokens="
        + outputBudgetTokens + ", routedTokens=" + routedTokens + ", spilled=" + spilled
        + ", overLimit=" + overLimit + ", fallbackPool=" + fallbackPool + ", retries=" + retries
        + "]";
  }
}
