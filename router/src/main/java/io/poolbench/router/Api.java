package io.poolbench.router;

/** Which OpenAI-compatible endpoint a request targets; vLLM's output defaults differ by endpoint. */
public enum Api {
  /** {@code POST /v1/completions}: vLLM defaults {@code max_tokens} to 16. */
  COMPLETIONS,
  /** {@code POST /v1/chat/completions}: without a cap vLLM may generate up to the context end. */
  CHAT
}
