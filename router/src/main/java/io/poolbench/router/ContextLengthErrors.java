package io.poolbench.router;

/**
 * Recognizes vLLM's context-length rejections (HTTP 400) by their message text, in every wording
 * vLLM versions used: the router service retries them in a larger pool, the load generator counts
 * them as context rejections.
 */
public final class ContextLengthErrors {

  private ContextLengthErrors() {}

  /**
   * True for the texts vLLM uses when prompt (+ max_tokens) exceeds {@code max_model_len}: every
   * variant contains "maximum context length"; some builds instead report the negative output room
   * left ("max_tokens must be at least 1, got -N").
   */
  public static boolean isContextLengthError(String message) {
    if (message == null) {
      return false;
    }
    return message.contains("maximum context length")
        || message.startsWith("max_tokens must be at least 1, got -");
  }
}
