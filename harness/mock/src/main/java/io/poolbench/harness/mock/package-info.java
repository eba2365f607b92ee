/**
 * The mock vLLM server: OpenAI-compatible HTTP instances (Netty) whose timing, scheduling, KV
 * pressure and failures come from the {@link io.poolbench.harness.engine.VllmEngine} model run on
 * the real clock, with vLLM's endpoints, SSE bytes, error envelopes and Prometheus metrics
 * ({@code shared/reference/vllm-api.md}).
 */
package io.poolbench.harness.mock;
