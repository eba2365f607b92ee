package io.poolbench.harness.engine;

/**
 * One request inside an engine: its sizes and its mutable progress. Mutable on purpose, because
 * the step loop updates millions of these per second; only the owning engine writes the progress
 * fields.
 */
public final class EngineRequest {
  final long id;
  final int promptTokens;
  int outputTarget;
  final int maxTokens;
  final long arrivalNanos;
  /** Free slot for the driver (the simulator keeps its per-request state here). */
  public Object attachment;

  int generated;
  int computed;
  int blocks;
  int scheduledTokens;
  int preemptions;
  long firstScheduledNanos = -1;
  long firstTokenNanos = -1;
  long lastTokenNanos = -1;
  byte state;
  /**
   * Content identity of the prompt's full blocks in runs of {@code runWidth} blocks (chained
   * hashes, one per run), or null: never hits.
   */
  long[] runHashes;
  int runWidth;
  /** Full prompt blocks the identities cover. */
  int identifiedBlocks;
  /** Prefix-cache runs this request holds, for its leading blocks. */
  int[] cacheEntries;
  /** Leading blocks this request holds in the prefix cache. */
  int cacheCount;
  /** Set when a leading block could not be registered: no later block is. */
  boolean cacheStopped;
  int cachedTokens = -1;

  static final byte NEW = 0;
  static final byte WAITING = 1;
  static final byte RUNNING = 2;
  static final byte DONE = 3;

  /**
   * A request to generate {@code outputTokens} tokens after a prompt of {@code promptTokens}.
   *
   * @param maxTokens the declared {@code max_tokens}, or 0 when the client declares none
   */
  public EngineRequest(long id, int promptTokens, int outputTokens, int maxTokens,
      long arrivalNanos) {
    if (promptTokens < 0 || outputTokens < 0 || maxTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0: prompt " + promptTokens
          + ", output " + outputTokens + ", max_tokens " + maxTokens);
    }
    this.id = id;
    this.promptTokens = promptTokens;
    int target = Math.max(1, outputTokens);
    this.outputTarget = maxTokens > 0 ? Math.min(target, maxTokens) : target;
    this.maxTokens = maxTokens;
    this.arrivalNanos = arrivalNanos;
  }

  public long id() {
    return id;
  }

  public int promptTokens() {
    return promptTokens;
  }

  /** Output tokens this request will generate unless max_model_len cuts it short. */
  public int outputTarget() {
    return outputTarget;
  }

  public int maxTokens() {
    return maxTokens;
  }

  public long arrivalNanos() {
    return arrivalNanos;
  }

  public int generatedTokens() {
    return generated;
  }

  /** Tokens whose KV entries are computed (prompt and output; 0 again after a preemption). */
  public int computedTokens() {
    return computed;
  }

  public int blocks() {
    return blocks;
  }

  public int preemptions() {
    return preemptions;
  }

  /** When the scheduler first gave this request a slot, or -1. */
  public long firstScheduledNanos() {
    return firstScheduledNanos;
  }

  /** When the first output token appeared, or -1. */
  public long firstTokenNanos() {
    return firstTokenNanos;
  }

  /** When the latest output token appeared, or -1. */
  public long lastTokenNanos() {
    return lastTokenNanos;
  }

  /**
   * Sets the content identity of the prompt's full blocks: {@code hashes[k]} identifies block k
   * (tokens k x block_size to (k+1) x block_size - 1) and everything before it, so equal hashes
   * must mean equal leading content. Entries past the prompt's full blocks are ignored. Call
   * before {@link VllmEngine#submit}; null (the default) means no identity.
   */
  public EngineRequest blockHashes(long[] hashes) {
    return blockRuns(hashes, 1, hashes == null ? 0 : hashes.length);
  }

  /**
   * Sets the content identity of the prompt's first {@code blocks} full blocks in runs of
   * {@code width} consecutive blocks: {@code runHashes[u]} identifies blocks {@code u * width}
   * to {@code (u + 1) * width - 1} and everything before them, so that two requests sharing a
   * run's hash share each of its blocks they both have (as with one Mooncake hash id per 512
   * tokens and 16-token blocks: width 32). Every request of one engine must use the same width.
   * Call before {@link VllmEngine#submit}; null means no identity.
   */
  public EngineRequest blockRuns(long[] runHashes, int width, int blocks) {
    if (state != NEW) {
      throw new IllegalStateException("request " + id + " was already submitted");
    }
    if (runHashes == null) {
      this.runHashes = null;
      return this;
    }
    if (width < 1 || blocks < 0 || (long) runHashes.length * width < blocks) {
      throw new IllegalArgumentException("request " + id + ": " + runHashes.length
          + " runs of " + width + " blocks cannot cover " + blocks + " blocks");
    }
    this.runHashes = runHashes;
    this.runWidth = width;
    this.identifiedBlocks = blocks;
    return this;
  }

  /**
   * Prompt tokens found in the prefix cache when first scheduled (vLLM's
   * {@code usage.prompt_tokens_details.cached_tokens}), or -1 before that.
   */
  public int cachedTokens() {
    return cachedTokens;
  }

  int tokens() {
    return promptTokens + generated;
  }

  @Override
  public String toString() {
    return "EngineRequest[id=" + id + ", prompt=" + promptTokens + ", output=" + outputTarget
        + ", generated=" + generated + ", computed=" + computed + ", blocks=" + blocks + "]";
  }
}
