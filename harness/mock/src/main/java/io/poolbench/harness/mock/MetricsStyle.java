package io.poolbench.harness.mock;

/** Which generation of vLLM metric names {@code /metrics} exposes (vllm-api.md §6). */
public enum MetricsStyle {
  /**
   * v0.11: {@code vllm:kv_cache_usage_perc}, {@code vllm:inter_token_latency_seconds} and
   * {@code vllm:request_time_per_output_token_seconds}.
   */
  V0_11,
  /**
   * v0.10: adds the legacy {@code vllm:gpu_cache_usage_perc} and names the inter-token histogram
   * {@code vllm:time_per_output_token_seconds}.
   */
  V0_10
}
