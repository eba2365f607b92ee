package io.poolbench.harness.catalog;

/**
 * The architecture facts of one model that KV capacity and the roofline need (from the model's
 * published {@code config.json}; {@link HfModelConfig} derives them).
 *
 * @param name catalog name (lower case, e.g. {@code llama-3-70b})
 * @param layers transformer layers
 * @param hiddenSize model width
 * @param queryHeads attention heads
 * @param kvHeads key/value heads (GQA)
 * @param headDim dimension of one query/key head
 * @param intermediateSize MLP width (per expert for MoE models)
 * @param vocabSize vocabulary size
 * @param totalParams all parameters
 * @param activeParams parameters used per token (MoE: active experts only)
 * @param weightBytesPerParam 2 for BF16 weights, 1 for FP8
 * @param kvBytesPerElement bytes per KV-cache element (2 for BF16 KV cache)
 * @param kvLatentDim elements cached per token and layer by multi-head latent attention
 *     (DeepSeek MLA: {@code kv_lora_rank + qk_rope_head_dim}, one latent instead of K and V);
 *     0 for ordinary K/V heads
 * @param valueHeadDim dimension of one value head (equal to {@code headDim} except with MLA)
 * @param slidingWindow attention window in tokens as the config declares it (0: full attention);
 *     recorded, not used by the KV arithmetic
 * @param weightDtype weight format name ({@code bf16}, {@code fp16}, {@code fp8}, ...)
 * @param source where the figures come from (a {@code config.json}, or empty)
 */
public record ModelSpec(String name, int layers, int hiddenSize, int queryHeads, int kvHeads,
    int headDim, int intermediateSize, int vocabSize, double totalParams, double activeParams,
    double weightBytesPerParam, int kvBytesPerElement, int kvLatentDim, int valueHeadDim,
    int slidingWindow, String weightDtype, String source) {

  /** A model with ordinary K/V heads, no sliding window, and no recorded source. */
  public ModelSpec(String name, int layers, int hiddenSize, int queryHeads, int kvHeads,
      int headDim, int intermediateSize, int vocabSize, double totalParams, double activeParams,
      double weightBytesPerParam, int kvBytesPerElement) {
    this(name, layers, hiddenSize, queryHeads, kvHeads, headDim, intermediateSize, vocabSize,
        totalParams, activeParams, weightBytesPerParam, kvBytesPerElement, 0, headDim, 0,
        dtypeName(weightBytesPerParam), "");
  }

  /** Whether the KV cache holds one MLA latent per token and layer instead of K and V heads. */
  public boolean latentKv() {
    return kvLatentDim > 0;
  }

  /**
   * KV-cache bytes per token over all layers: 2 (K and V) × layers × KV heads × head dim × bytes,
   * or with MLA layers × latent dim × bytes.
   */
  public long kvBytesPerToken() {
    if (latentKv()) {
      return (long) layers * kvLatentDim * kvBytesPerElement;
    }
    return 2L * layers * kvHeads * headDim * kvBytesPerElement;
  }

  /**
   * KV-cache bytes per token over all layers held by one of {@code tensorParallel} GPUs: the KV
   * heads are sharded over the ranks (at least one head each, as vLLM replicates a head when
   * there are more ranks than heads); an MLA latent is replicated on every rank.
   */
  public long kvBytesPerTokenPerGpu(int tensorParallel) {
    if (latentKv()) {
      return kvBytesPerToken();
    }
    int kvHeadsPerGpu = Math.max(1, kvHeads / tensorParallel);
    return 2L * layers * kvHeadsPerGpu * headDim * kvBytesPerElement;
  }

  /** Bytes of all weights. */
  public long weightBytes() {
    return (long) (totalParams * weightBytesPerParam);
  }

  /**
   * Attention FLOPs per (query token, attended token) pair: 2 × layers × query heads × (key head
   * dim + value head dim), i.e. 4 × layers × heads × head dim with equal K and V widths.
   */
  public double attentionFlopsPerContextToken() {
    return 2.0 * layers * queryHeads * (headDim + valueHeadDim);
  }

  private static String dtypeName(double bytesPerParam) {
    if (bytesPerParam == 1) {
      return "fp8";
    }
    if (bytesPerParam == 2) {
      return "bf16";
    }
    if (bytesPerParam == 4) {
      return "fp32";
    }
    return bytesPerParam + " B";
  }
}
