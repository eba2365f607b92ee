package io.poolbench.traces;

import java.util.Objects;

/**
 * One request of a trace: when it arrives and how many tokens it needs.
 *
 * <p>Optional fields use sentinels rather than boxed optionals so that a reader can stream tens
 * of millions of rows without extra allocation: {@link #NO_MAX_TOKENS} when the trace does not say
 * what {@code max_tokens} the client declared, {@code null} for an unknown category or missing
 * prefix hashes.
 *
 * @param arrivalNanos arrival offset from the start of the trace, in nanoseconds (≥ 0)
 * @param promptTokens prompt (input) length in tokens (≥ 0)
 * @param outputTokens output length in tokens that the request actually generates (≥ 0)
 * @param category content category (e.g. {@code prose}, {@code code}, {@code cjk}) or null
 * @param maxTokens the {@code max_tokens} the client declares, or {@link #NO_MAX_TOKENS}
 * @param prefixHashes Mooncake-style prefix-block hashes (512-token blocks), or null
 * @param failedInSource true when the source marks the request as failed (BurstGPT rows with zero
 *     response tokens); such rows stay visible instead of being dropped
 * @param images number of images attached (Azure 2025 multimodal), 0 otherwise
 * @param sourceName file (or built-in workload) the request came from, for error messages
 * @param sourceLine 1-based line number in {@code sourceName}, or 0 when not from a file
 */
public record TraceRequest(
    long arrivalNanos,
    int promptTokens,
    int outputTokens,
    String category,
    int maxTokens,
    long[] prefixHashes,
    boolean failedInSource,
    int images,
    String sourceName,
    long sourceLine) {

  /** Sentinel for "the trace does not declare max_tokens". */
  public static final int NO_MAX_TOKENS = -1;

  public TraceRequest {
    if (arrivalNanos < 0) {
      throw new IllegalArgumentException("arrivalNanos (" + arrivalNanos + ") must be >= 0");
    }
    if (promptTokens < 0) {
      throw new IllegalArgumentException("promptTokens (" + promptTokens + ") must be >= 0");
    }
    if (outputTokens < 0) {
      throw new IllegalArgumentException("outputTokens (" + outputTokens + ") must be >= 0");
    }
    if (maxTokens < 0 && maxTokens != NO_MAX_TOKENS) {
      throw new IllegalArgumentException("maxTokens (" + maxTokens + ") must be >= 0 or unset");
    }
  }

  /** A request with only the three core fields, as most traces give them. */
  public static TraceRequest of(long arrivalNanos, int promptTokens, int outputTokens) {
    return new TraceRequest(
        arrivalNanos, promptTokens, outputTokens, null, NO_MAX_TOKENS, null, false, 0, null, 0);
  }

  /** Prompt plus generated output: the tokens the request really occupies in the KV cache. */
  public int totalTokens() {
    return promptTokens + outputTokens;
  }

  /** True when the trace declares the client's {@code max_tokens}. */
  public boolean hasMaxTokens() {
    return maxTokens != NO_MAX_TOKENS;
  }

  /** Prompt plus the declared output budget (max_tokens, or actual output when undeclared). */
  public int budgetTokens() {
    return promptTokens + (hasMaxTokens() ? maxTokens : outputTokens);
  }

  /** {@code file:line} for error messages, or the source name alone. */
  public String location() {
    return sourceLine > 0 ? sourceName + ":" + sourceLine : Objects.toString(sourceName, "?");
  }

  public TraceRequest withArrivalNanos(long nanos) {
    return new TraceRequest(nanos, promptTokens, outputTokens, category, maxTokens, prefixHashes,
        failedInSource, images, sourceName, sourceLine);
  }

  public TraceRequest withTokens(int prompt, int output) {
    return new TraceRequest(arrivalNanos, prompt, output, category, maxTokens, prefixHashes,
        failedInSource, images, sourceName, sourceLine);
  }

  public TraceRequest withMaxTokens(int max) {
    return new TraceRequest(arrivalNanos, promptTokens, outputTokens, category, max, prefixHashes,
        failedInSource, images, sourceName, sourceLine);
  }

  public TraceRequest withCategory(String newCategory) {
    return new TraceRequest(arrivalNanos, promptTokens, outputTokens, newCategory, maxTokens,
        prefixHashes, failedInSource, images, sourceName, sourceLine);
  }
}
