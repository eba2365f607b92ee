package io.poolbench.harness.engine;

/**
 * When a step runs the GPUs out of memory, killing the engine as CUDA OOM kills vLLM's EngineCore.
 *
 * <p>A step needs {@code blocksInUse × blockBytes + stepTokens × activationBytesPerToken} bytes
 * beyond the weights. vLLM sizes its KV cache so that this always fits inside
 * {@code gpu_memory_utilization}; it can only overflow the physical memory when the KV capacity
 * was forced above what the memory holds ({@code --num-gpu-blocks-override}, as the papers assume
 * 65,536 blocks per A100) or the activation reserve was set too small. {@code budgetBytes} is the
 * physical memory of all GPUs of the instance minus the weights and fixed runtime overhead.
 *
 * @param budgetBytes bytes available to KV cache and activations before CUDA OOM
 * @param blockBytes bytes of one KV block over all layers of the instance
 * @param activationBytesPerToken peak activation bytes per token scheduled in a step
 */
public record MemoryLimit(long budgetBytes, long blockBytes, long activationBytesPerToken) {

  /** No out-of-memory condition (the papers' assumption). */
  public static final MemoryLimit NONE = new MemoryLimit(Long.MAX_VALUE, 0, 0);

  /** True when a step with these blocks in use and tokens scheduled does not fit. */
  public boolean overflows(long blocksInUse, long stepTokens) {
    return blocksInUse * blockBytes + stepTokens * activationBytesPerToken > budgetBytes;
  }
}
