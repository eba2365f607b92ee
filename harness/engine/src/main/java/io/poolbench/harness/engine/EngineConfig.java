package io.poolbench.harness.engine;

/**
 * The scheduler settings of one vLLM instance, named after vLLM's flags.
 *
 * @param maxModelLen {@code --max-model-len}: limit on prompt + output tokens per request
 * @param maxNumSeqs {@code --max-num-seqs}: most requests in the running batch
 * @param maxNumBatchedTokens {@code --max-num-batched-tokens}: token budget of one step
 * @param blockSize {@code --block-size}: tokens per KV block (16 on CUDA)
 * @param numGpuBlocks KV blocks of the whole instance (computed, or {@code --num-gpu-blocks})
 * @param maxQueuedRequests {@code --max-num-queued-reqs}: cap on waiting + running requests
 *     before new ones get HTTP 503, or 0 for vLLM's default (unbounded)
 * @param memory the out-of-memory condition, or {@link MemoryLimit#NONE}
 * @param enablePrefixCaching {@code --enable-prefix-caching}: automatic prefix caching (on by
 *     default in vLLM V1); only requests that carry block identities can hit
 */
public record EngineConfig(
    int maxModelLen,
    int maxNumSeqs,
    int maxNumBatchedTokens,
    int blockSize,
    int numGpuBlocks,
    int maxQueuedRequests,
    MemoryLimit memory,
    boolean enablePrefixCaching) {

  /** vLLM's default KV block size on CUDA. */
  public static final int DEFAULT_BLOCK_SIZE = 16;

  public EngineConfig {
    positive("max-model-len", maxModelLen);
    positive("max-num-seqs", maxNumSeqs);
    positive("max-num-batched-tokens", maxNumBatchedTokens);
    positive("block-size", blockSize);
    positive("num-gpu-blocks", numGpuBlocks);
    if (maxQueuedRequests < 0) {
      throw new IllegalArgumentException(
          "max-num-queued-reqs (" + maxQueuedRequests + ") must be >= 0 (0 = unbounded)");
    }
    if ((long) numGpuBlocks * blockSize < maxModelLen) {
      throw new IllegalArgumentException("num-gpu-blocks (" + numGpuBlocks + ") x block-size ("
          + blockSize + ") = " + (long) numGpuBlocks * blockSize
          + " tokens cannot hold one max-model-len (" + maxModelLen + ") sequence");
    }
    if (memory == null) {
      memory = MemoryLimit.NONE;
    }
  }

  /** A config with prefix caching on, vLLM V1's default. */
  public EngineConfig(int maxModelLen, int maxNumSeqs, int maxNumBatchedTokens, int blockSize,
      int numGpuBlocks, int maxQueuedRequests, MemoryLimit memory) {
    this(maxModelLen, maxNumSeqs, maxNumBatchedTokens, blockSize, numGpuBlocks, maxQueuedRequests,
        memory, true);
  }

  /** A config with vLLM's defaults for the block size, no queue cap and no OOM condition. */
  public static EngineConfig of(int maxModelLen, int maxNumSeqs, int maxNumBatchedTokens,
      int numGpuBlocks) {
    return new EngineConfig(maxModelLen, maxNumSeqs, maxNumBatchedTokens, DEFAULT_BLOCK_SIZE,
        numGpuBlocks, 0, MemoryLimit.NONE);
  }

  public EngineConfig withMaxQueuedRequests(int cap) {
    return new EngineConfig(maxModelLen, maxNumSeqs, maxNumBatchedTokens, blockSize, numGpuBlocks,
        cap, memory, enablePrefixCaching);
  }

  public EngineConfig withMemory(MemoryLimit limit) {
    return new EngineConfig(maxModelLen, maxNumSeqs, maxNumBatchedTokens, blockSize, numGpuBlocks,
        maxQueuedRequests, limit, enablePrefixCaching);
  }

  public EngineConfig withPrefixCaching(boolean enabled) {
    return new EngineConfig(maxModelLen, maxNumSeqs, maxNumBatchedTokens, blockSize, numGpuBlocks,
        maxQueuedRequests, memory, enabled);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
    }
  }
}
