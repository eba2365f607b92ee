package io.poolbench.harness.catalog;

import io.poolbench.harness.engine.MemoryLimit;
import io.poolbench.traces.BadInputException;
import java.util.Locale;

/**
 * KV-cache capacity of one instance, computed as vLLM does at startup: per GPU, the memory it may
 * use ({@code memory × gpu_memory_utilization}) minus its share of the weights and the activation
 * reserve (what the profiling forward pass at {@code max_num_batched_tokens} would peak at, plus
 * non-torch and CUDA-graph memory) is divided by the bytes of one block over all layers; the
 * instance has that many blocks (the KV heads are sharded over the TP ranks; an MLA latent is
 * replicated on each, see {@link ModelSpec#kvBytesPerTokenPerGpu}).
 *
 * <p>The activation reserve is an estimate (vLLM measures it): per scheduled token
 * {@code (6 × hidden + 2 × intermediate / TP) × 2} bytes, plus the FP32 logits of
 * {@code max_num_seqs} sampled rows, plus {@link #RUNTIME_OVERHEAD_BYTES} per GPU.
 *
 * @param blocks KV blocks of the instance
 * @param blockSize tokens per block
 * @param availableBytesPerGpu bytes per GPU left for the KV cache
 * @param bytesPerBlockPerGpu bytes of one block on one GPU (all layers, its share of KV heads)
 * @param memoryLimit the physical out-of-memory condition for this configuration
 */
public record KvCapacity(long blocks, int blockSize, long availableBytesPerGpu,
    long bytesPerBlockPerGpu, MemoryLimit memoryLimit) {

  /** Non-torch memory (CUDA context, NCCL buffers) plus CUDA graphs, per GPU: 1.5 GiB. */
  public static final long RUNTIME_OVERHEAD_BYTES = 3L << 29;

  private static final double GIB = 1L << 30;

  /** KV tokens: blocks × block size. */
  public long tokens() {
    return blocks * blockSize;
  }

  /** vLLM's "maximum concurrency" for requests of {@code maxModelLen} tokens. */
  public double maxConcurrency(int maxModelLen) {
    return (double) tokens() / maxModelLen;
  }

  /** The two lines vLLM logs at startup. */
  public String startupLog(int maxModelLen) {
    return String.format(Locale.US, "GPU KV cache size: %,d tokens%n"
        + "Maximum concurrency for %,d tokens per request: %.2fx", tokens(), maxModelLen,
        maxConcurrency(maxModelLen));
  }

  /**
   * Computes the capacity, or fails as vLLM's startup does when not even one
   * {@code maxModelLen} sequence fits.
   *
   * @throws BadInputException when the configuration cannot serve one max-length request
   */
  public static KvCapacity compute(ModelSpec model, Gpu gpu, int tensorParallel,
      double gpuMemoryUtilization, int maxNumBatchedTokens, int maxNumSeqs, int maxModelLen,
      int blockSize) {
    if (gpuMemoryUtilization <= 0 || gpuMemoryUtilization > 1) {
      throw new BadInputException("gpu-memory-utilization (" + gpuMemoryUtilization
          + ") must be in (0, 1]");
    }
    long weightsPerGpu = model.weightBytes() / tensorParallel;
    long activationPerToken = activationBytesPerToken(model, tensorParallel);
    long reserve = RUNTIME_OVERHEAD_BYTES + maxNumBatchedTokens * activationPerToken
        + (long) maxNumSeqs * model.vocabSize() * 4L / tensorParallel;
    long usable = (long) (gpu.memoryBytes() * gpuMemoryUtilization);
    long available = usable - weightsPerGpu - reserve;
    long bytesPerBlock = (long) blockSize * model.kvBytesPerTokenPerGpu(tensorParallel);
    MemoryLimit limit = memoryLimit(model, gpu, tensorParallel, blockSize);
    if (available <= 0) {
      throw new BadInputException(String.format(Locale.US,
          "No available memory for the cache blocks (%s on %d x %s needs %.2f GiB per GPU for "
              + "weights and activations, %.2f GiB usable at gpu-memory-utilization %.2f). Try "
              + "increasing gpu_memory_utilization or tensor-parallel when initializing the "
              + "engine.", model.name(), tensorParallel, gpu.name(),
          (weightsPerGpu + reserve) / GIB, usable / GIB, gpuMemoryUtilization));
    }
    long blocks = available / bytesPerBlock;
    long needed = ((long) maxModelLen + blockSize - 1) / blockSize;
    if (blocks < needed) {
      throw new BadInputException(String.format(Locale.US,
          "To serve at least one request with the model's max seq len (%d), (%.2f GiB KV cache "
              + "is needed, which is larger than the available KV cache memory (%.2f GiB). Based "
              + "on the available memory, the estimated maximum model length is %d. Try "
              + "increasing gpu_memory_utilization or decreasing max_model_len when "
              + "initializing the engine.", maxModelLen, needed * bytesPerBlock / GIB,
          available / GIB, blocks * blockSize));
    }
    return new KvCapacity(blocks, blockSize, available, bytesPerBlock, limit);
  }

  /**
   * The physical out-of-memory condition of an instance: its GPUs' whole memory minus weights
   * and runtime overhead must hold the KV blocks in use plus the step's activations.
   */
  public static MemoryLimit memoryLimit(ModelSpec model, Gpu gpu, int tensorParallel,
      int blockSize) {
    long weightsPerGpu = model.weightBytes() / tensorParallel;
    long bytesPerBlock = (long) blockSize * model.kvBytesPerTokenPerGpu(tensorParallel);
    long budget = (long) tensorParallel * (gpu.memoryBytes() - weightsPerGpu
        - RUNTIME_OVERHEAD_BYTES);
    return new MemoryLimit(budget, bytesPerBlock * tensorParallel,
        activationBytesPerToken(model, tensorParallel) * tensorParallel);
  }

  /** Estimated peak activation bytes per scheduled token on one GPU. */
  public static long activationBytesPerToken(ModelSpec model, int tensorParallel) {
    return (6L * model.hiddenSize() + 2L * model.intermediateSize() / tensorParallel) * 2L;
  }
}
