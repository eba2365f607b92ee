package io.poolbench.harness.engine;

/**
 * Chained KV block hashes (vLLM's {@code hash_block_tokens}: each block's hash covers its content
 * and its parent's hash), derived from coarser content identities such as Mooncake's
 * {@code hash_ids} (one id per 512 tokens), or from the prompt's own token ids as the mock
 * server sees them: equal ids give equal blocks.
 */
public final class BlockHashes {
  /** Tokens per Mooncake hash id. */
  public static final int MOONCAKE_TOKENS_PER_ID = 512;

  private BlockHashes() {}

  /**
   * The hashes of the prompt's full blocks of {@code blockSize} tokens covered by {@code ids}
   * (each standing for {@code tokensPerId} tokens), or null when {@code ids} is null or empty.
   */
  public static long[] fromIds(long[] ids, int tokensPerId, int blockSize, int promptTokens) {
    if (ids == null || ids.length == 0) {
      return null;
    }
    long covered = Math.min((long) ids.length * tokensPerId, promptTokens);
    int n = (int) (covered / blockSize);
    long[] out = new long[n];
    long parent = 0x2545F4914F6CDD1DL;
    for (int k = 0; k < n; k++) {
      long start = (long) k * blockSize;
      long id = ids[(int) (start / tokensPerId)];
      long content = id * 0x9E3779B97F4A7C15L + (start % tokensPerId);
      parent = mix(parent ^ mix(content));
      out[k] = parent;
    }
    return out;
  }

  /**
   * Gives {@code request} the block identities of its {@code ids} (each standing for
   * {@code tokensPerId} tokens) in an engine with blocks of {@code blockSize} tokens: one run of
   * {@code tokensPerId / blockSize} blocks per id when the block size divides the id's span (the
   * usual 512 / 16: a cache lookup per id, not per block), else one hash per block
   * ({@link #fromIds}). Either way a block hits exactly when another prompt had the same ids up
   * to and including the block's. Nothing happens when {@code ids} is null or empty.
   */
  public static EngineRequest applyIds(EngineRequest request, long[] ids, int tokensPerId,
      int blockSize) {
    if (ids == null || ids.length == 0) {
      return request;
    }
    if (tokensPerId % blockSize != 0) {
      return request.blockHashes(fromIds(ids, tokensPerId, blockSize, request.promptTokens));
    }
    int width = tokensPerId / blockSize;
    long covered = Math.min((long) ids.length * tokensPerId, request.promptTokens);
    int blocks = (int) (covered / blockSize);
    int runs = (blocks + width - 1) / width;
    long[] out = new long[runs];
    long parent = 0x3C6EF372FE94F82BL;
    for (int u = 0; u < runs; u++) {
      parent = mix(parent ^ mix(ids[u] * 0x9E3779B97F4A7C15L));
      out[u] = parent;
    }
    return request.blockRuns(out, width, blocks);
  }

  /**
   * The hashes of the full blocks of {@code blockSize} tokens in {@code tokens[from, to)}: block
   * {@code k}'s hash mixes its parent's hash with each of its token ids in order, so two prompts
   * share a block's hash exactly when they share every token up to the block's end. Null when the
   * range holds no full block.
   */
  public static long[] fromTokens(int[] tokens, int from, int to, int blockSize) {
    int n = (to - from) / blockSize;
    if (n <= 0) {
      return null;
    }
    long[] out = new long[n];
    long parent = 0x6A09E667F3BCC909L;
    for (int k = 0, i = from; k < n; k++) {
      long content = parent;
      for (int end = i + blockSize; i < end; i++) {
        content = (content ^ tokens[i]) * 0x100000001B3L;
      }
      parent = mix(parent ^ mix(content));
      out[k] = parent;
    }
    return out;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
