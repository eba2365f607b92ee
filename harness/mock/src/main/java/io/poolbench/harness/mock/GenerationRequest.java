package io.poolbench.harness.mock;

/**
 * A validated {@code /v1/completions} or {@code /v1/chat/completions} request, reduced to what
 * the engine and the response need.
 *
 * @param chat true for {@code /v1/chat/completions}
 * @param promptTokens prompt tokens of each prompt (one for chat; a completions request may
 *     batch several)
 * @param declaredMaxTokens max_tokens as the server sees it (completions default 16), or -1 when
 *     a chat request declares none
 * @param minTokens {@code min_tokens}
 * @param ignoreEos {@code ignore_eos}
 * @param n samples per prompt
 * @param stream SSE when true
 * @param includeUsage {@code stream_options.include_usage}: the final usage chunk
 * @param continuousUsage {@code stream_options.continuous_usage_stats}: usage in every chunk
 * @param blockHashes per prompt, the identities of its full KV blocks (an entry may be null for
 *     a prompt shorter than one block); null when the engine caches no prefixes
 */
public record GenerationRequest(
    boolean chat,
    int[] promptTokens,
    int declaredMaxTokens,
    int minTokens,
    boolean ignoreEos,
    int n,
    boolean stream,
    boolean includeUsage,
    boolean continuousUsage,
    long[][] blockHashes) {

  /** A request without block identities. */
  public GenerationRequest(boolean chat, int[] promptTokens, int declaredMaxTokens, int minTokens,
      boolean ignoreEos, int n, boolean stream, boolean includeUsage, boolean continuousUsage) {
    this(chat, promptTokens, declaredMaxTokens, minTokens, ignoreEos, n, stream, includeUsage,
        continuousUsage, null);
  }

  /** The block identities of prompt {@code index}, or null. */
  public long[] blockHashes(int index) {
    return blockHashes == null ? null : blockHashes[index];
  }

  /** The output limit of a prompt of {@code prompt} tokens under {@code maxModelLen}. */
  public int effectiveMaxTokens(int prompt, int maxModelLen) {
    int room = maxModelLen - prompt;
    return declaredMaxTokens < 0 ? room : Math.min(declaredMaxTokens, room);
  }

  /** Choices in the response: prompts × n. */
  public int choices() {
    return promptTokens.length * n;
  }
}
