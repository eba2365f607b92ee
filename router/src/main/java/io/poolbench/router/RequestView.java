package io.poolbench.router;

import io.poolbench.traces.TraceRequest;

/**
 * What a routing decision reads from one request: the prompt's UTF-8 byte length (or its exact
 * token count for token-id prompts), an optional category, the declared output cap, the model and
 * the stream flag, plus, for experiments, the true total the oracle policy may use.
 *
 * <p>Mutable and reusable on purpose: the simulator makes millions of decisions per second and
 * must not allocate per request, so it keeps one view, calls {@link #clear()} and sets the fields.
 * A view is not thread-safe; each thread (or each in-flight HTTP request) owns its own.
 */
public final class RequestView {

  /** Sentinel for an absent integer field ({@code max_tokens}, exact prompt tokens, true total). */
  public static final int UNSET = -1;

  private Api api = Api.CHAT;
  private long promptBytes;
  private int exactPromptTokens = UNSET;
  private String category;
  private int categoryIndex = UNSET;
  private int maxTokens = UNSET;
  private String model;
  private boolean stream;
  private long oracleTotalTokens = UNSET;

  /** Resets every field to its default so the view can describe the next request. */
  public RequestView clear() {
    api = Api.CHAT;
    promptBytes = 0;
    exactPromptTokens = UNSET;
    category = null;
    categoryIndex = UNSET;
    maxTokens = UNSET;
    model = null;
    stream = false;
    oracleTotalTokens = UNSET;
    return this;
  }

  /** The endpoint (completions or chat); chat by default. */
  public Api api() {
    return api;
  }

  public RequestView api(Api value) {
    this.api = value == null ? Api.CHAT : value;
    return this;
  }

  /** UTF-8 byte length of the prompt text (completions {@code prompt} or chat message text). */
  public long promptBytes() {
    return promptBytes;
  }

  public RequestView promptBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("promptBytes (" + bytes + ") must be >= 0");
    }
    this.promptBytes = bytes;
    return this;
  }

  /** Prompt tokens known exactly (token-id prompts), or {@link #UNSET}. Added to the estimate. */
  public int exactPromptTokens() {
    return exactPromptTokens;
  }

  public RequestView exactPromptTokens(int tokens) {
    if (tokens < 0 && tokens != UNSET) {
      throw new IllegalArgumentException("exactPromptTokens (" + tokens + ") must be >= 0");
    }
    this.exactPromptTokens = tokens;
    return this;
  }

  /** The category hint (header or sniffed), or null. */
  public String category() {
    return category;
  }

  /** Sets the category name; clears any resolved index so the router resolves it again. */
  public RequestView category(String name) {
    this.category = name;
    this.categoryIndex = UNSET;
    return this;
  }

  /**
   * The estimator's index for the category, or {@link #UNSET} when not resolved yet. Callers that
   * resolve a category once ({@code estimator.categoryIndex(name)}) can set it directly and skip
   * the per-request map lookup.
   */
  public int categoryIndex() {
    return categoryIndex;
  }

  public RequestView categoryIndex(int index) {
    this.categoryIndex = index;
    return this;
  }

  /** {@code max_completion_tokens}, else {@code max_tokens}, else {@link #UNSET}. */
  public int maxTokens() {
    return maxTokens;
  }

  public RequestView maxTokens(int tokens) {
    if (tokens < 0 && tokens != UNSET) {
      throw new IllegalArgumentException("maxTokens (" + tokens + ") must be >= 0 or unset");
    }
    this.maxTokens = tokens;
    return this;
  }

  /** True when the request declares an output cap. */
  public boolean hasMaxTokens() {
    return maxTokens != UNSET;
  }

  /** The {@code model} field, or null. */
  public String model() {
    return model;
  }

  public RequestView model(String name) {
    this.model = name;
    return this;
  }

  /** The {@code stream} flag. */
  public boolean stream() {
    return stream;
  }

  public RequestView stream(boolean value) {
    this.stream = value;
    return this;
  }

  /**
   * The true prompt + output tokens, known only in experiments (trace replay, simulation); the
   * {@code oracle} policy routes on it. {@link #UNSET} otherwise.
   */
  public long oracleTotalTokens() {
    return oracleTotalTokens;
  }

  public RequestView oracleTotalTokens(long tokens) {
    if (tokens < 0 && tokens != UNSET) {
      throw new IllegalArgumentException("oracleTotalTokens (" + tokens + ") must be >= 0");
    }
    this.oracleTotalTokens = tokens;
    return this;
  }

  /**
   * Describes a trace request: its category, declared {@code max_tokens}, its true total as the
   * oracle total, and {@code promptBytes} (traces carry tokens, not text, so the caller decides
   * how many bytes the prompt has, e.g. with {@link io.poolbench.router.estimate.PromptBytesModel}).
   */
  public RequestView fromTrace(TraceRequest request, long bytes) {
    clear();
    category = request.category();
    maxTokens = request.hasMaxTokens() ? request.maxTokens() : UNSET;
    oracleTotalTokens = request.totalTokens();
    return promptBytes(bytes);
  }

  /** Copies every field of {@code other} into this view. */
  public RequestView copyFrom(RequestView other) {
    api = other.api;
    promptBytes = other.promptBytes;
    exactPromptTokens = other.exactPromptTokens;
    category = other.category;
    categoryIndex = other.categoryIndex;
    maxTokens = other.maxTokens;
    model = other.model;
    stream = other.stream;
    oracleTotalTokens = other.oracleTotalTokens;
    return this;
  }

  @Override
  public String toString() {
    return "RequestView[api=" + api + ", promptBytes=" + promptBytes + ", exactPromptTokens="
        + exactPromptTokens + ", category=" + category + ", maxTokens=" + maxTokens + ", model="
        + model + ", stream=" + stream + ", oracleTotalTokens=" + oracleTotalTokens + "]";
  }
}
