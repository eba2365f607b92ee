package io.poolbench.harness.mock;

/** Which error envelope the mock sends (vllm-api.md §4.1). */
public enum ErrorStyle {
  /** {@code {"error":{"message":...,"type":...,"param":...,"code":...}}}: vLLM v0.10.1 and later. */
  NESTED,
  /** {@code {"object":"error","message":...}}: vLLM up to v0.10.0. */
  FLAT
}
