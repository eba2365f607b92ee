package io.poolbench.harness.perf;

import io.poolbench.harness.catalog.Gpu;
import io.poolbench.harness.catalog.ModelSpec;
import java.util.Locale;

/**
 * A roofline step model: a step is bound either by compute (matrix FLOPs for every token plus
 * attention FLOPs over the attended context, over {@code TP × peak × computeEfficiency}) or by
 * memory traffic (weights read once per step plus the KV cache of every scheduled sequence, over
 * {@code TP × HBM bandwidth × memoryEfficiency}); it takes the larger plus a fixed overhead for
 * scheduling, sampling, kernel launches and TP all-reduces.
 *
 * <p>For a mixture-of-experts model the weights read per step grow with the tokens in the step
 * (each token touches its active experts) up to all the weights.
 *
 * @param activeParams parameters used per token
 * @param totalParams all parameters (equal to {@code activeParams} for dense models)
 * @param weightBytesPerParam 2 for BF16, 1 for FP8
 * @param attentionFlopsPerContextToken FLOPs per (query token × attended token): 4 × layers ×
 *     query heads × head dim
 * @param kvBytesPerToken KV-cache bytes per token over all layers
 * @param tensorParallel GPUs of the instance
 * @param peakFlops dense peak FLOP/s of one GPU at the model's compute dtype
 * @param hbmBytesPerSecond memory bandwidth of one GPU
 * @param computeEfficiency achieved fraction of peak FLOP/s (0..1]
 * @param memoryEfficiency achieved fraction of peak bandwidth (0..1]
 * @param overheadNanos fixed cost added to every step
 */
public record RooflinePerfModel(
    double activeParams,
    double totalParams,
    double weightBytesPerParam,
    double attentionFlopsPerContextToken,
    double kvBytesPerToken,
    int tensorParallel,
    double peakFlops,
    double hbmBytesPerSecond,
    double computeEfficiency,
    double memoryEfficiency,
    long overheadNanos) implements PerfModel {

  public RooflinePerfModel {
    if (activeParams <= 0 || totalParams < activeParams || tensorParallel <= 0 || peakFlops <= 0
        || hbmBytesPerSecond <= 0 || computeEfficiency <= 0 || computeEfficiency > 1
        || memoryEfficiency <= 0 || memoryEfficiency > 1 || overheadNanos < 0) {
      throw new IllegalArgumentException("roofline parameters out of range: params "
          + activeParams + "/" + totalParams + ", TP " + tensorParallel + ", efficiencies "
          + computeEfficiency + "/" + memoryEfficiency + ", overhead " + overheadNanos + "ns");
    }
  }

  /** Achieved fraction of peak HBM bandwidth by default (see {@link #of}). */
  public static final double DEFAULT_MEMORY_EFFICIENCY = 0.8;
  /** Achieved fraction of peak FLOP/s by default (see {@link #of}). */
  public static final double DEFAULT_COMPUTE_EFFICIENCY = 0.6;
  /** Fixed step overhead by default: 1 ms, plus 0.5 ms of all-reduce per extra TP rank. */
  public static final long DEFAULT_OVERHEAD_NANOS = 1_000_000L;

  /**
   * The roofline for {@code model} on {@code tensorParallel} GPUs of type {@code gpu} with the
   * default efficiencies. They are checked against a public measurement: Llama-3.1-8B BF16 on one
   * A100-40GB under vLLM 0.23 decodes at about 75 tokens/s at concurrency 1, "roughly 77% of the
   * memory-bandwidth ceiling" (J. Musgrave, "vLLM throughput-latency sweep on NVIDIA A100",
   * johnmusgrave.com, 1,024-token prompts); this model predicts 16 GB / (1.555 TB/s × 0.8) + 1 ms
   * = 13.9 ms per token, i.e. 72 tokens/s (-4%).
   */
  public static RooflinePerfModel of(ModelSpec model, Gpu gpu, int tensorParallel) {
    return new RooflinePerfModel(model.activeParams(), model.totalParams(),
        model.weightBytesPerParam(), model.attentionFlopsPerContextToken(),
        model.kvBytesPerToken(), tensorParallel, gpu.peakFlops(model.weightBytesPerParam()),
        gpu.hbmBytesPerSecond(), DEFAULT_COMPUTE_EFFICIENCY, DEFAULT_MEMORY_EFFICIENCY,
        DEFAULT_OVERHEAD_NANOS + 500_000L * (tensorParallel - 1));
  }

  /** Seconds of compute for a step with this shape. */
  public double computeSeconds(StepShape step) {
    double flops = 2.0 * activeParams * step.tokens()
        + attentionFlopsPerContextToken * step.attendedTokens;
    return flops / (tensorParallel * peakFlops * computeEfficiency);
  }

  /** Seconds of memory traffic for a step with this shape. */
  public double memorySeconds(StepShape step) {
    double weights = Math.min(totalParams, activeParams * Math.max(1, step.tokens()))
        * weightBytesPerParam;
    double kv = kvBytesPerToken * step.contextTokens;
    return (weights + kv) / (tensorParallel * hbmBytesPerSecond * memoryEfficiency);
  }

  @Override
  public long stepNanos(StepShape step) {
    double seconds = Math.max(computeSeconds(step), memorySeconds(step));
    return overheadNanos + (long) (seconds * 1e9);
  }

  @Override
  public String describe() {
    return String.format(Locale.US,
        "roofline(TP=%d,peak=%.0fTFLOPs,hbm=%.2fTB/s,eff=%.2f/%.2f,overhead=%.1fms)",
        tensorParallel, peakFlops / 1e12, hbmBytesPerSecond / 1e12, computeEfficiency,
        memoryEfficiency, overheadNanos / 1e6);
  }
}
