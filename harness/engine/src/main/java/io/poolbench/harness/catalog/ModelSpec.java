package io.poolbench.harness.catalog;

/**
 * The architecture facts of one model that KV capacity and the roofline need (from the model's
 * published {@code config.json}).
 *
 * @param name catalog name (lower case, e.g. {@code llama-3-70b})
 * @param layers transformer layers
 * @param hiddenSize model width
 * @param queryHeads attention heads
 * @param kvHeads key/value heads (GQA)
 * @param headDim dimension of one head
 * @param intermediateSize MLP width (per expert for MoE models)
 * @param vocabSize vocabulary size
 * @param totalParams all parameters
 * @param activeParams parameters used per token (MoE: active experts only)
 * @param weightBytesPerParam 2 for BF16 weights, 1 for FP8
 * @param kvBytesPerElement bytes per KV-cache element (2 for BF16 KV cache)
 */
public record ModelSpec(String name, int layers, int hiddenSize, int queryHeads, int kvHeads,
    int headDim, int intermediateSize, int vocabSize, double totalParams, double activeParams,
    double weightBytesPerParam, int kvBytesPerElement) {

  /** KV-cache bytes per token over all layers: 2 (K and V) × layers × KV heads × head dim × bytes. */
  public long kvBytesPerToken() {
    return 2L * layers * kvHeads * headDim * kvBytesPerElement;
  }

  /** Bytes of all weights. */
  public long weightBytes() {
    return (long) (totalParams * weightBytesPerParam);
  }

  /** Attention FLOPs per (query token, attended token) pair: 4 × layers × query heads × head dim. */
  public double attentionFlopsPerContextToken() {
    return 4.0 * layers * queryHeads * headDim;
  }
}
