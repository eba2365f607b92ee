package io.poolbench.harness.engine;

/** vLLM's (v0.11-style) HTTP 400 texts for requests that exceed {@code max_model_len}. */
public final class AdmissionErrors {

  private AdmissionErrors() {}

  /** The rejection for this prompt and declared max_tokens, or null when the request fits. */
  public static Outcome.ContextRejected check(int promptTokens, int maxTokens, int maxModelLen) {
    if (promptTokens >= maxModelLen) {
      return new Outcome.ContextRejected(promptTooLong(promptTokens, maxModelLen));
    }
    if (maxTokens > 0 && (long) promptTokens + maxTokens > maxModelLen) {
      return new Outcome.ContextRejected(maxTokensTooLarge(promptTokens, maxTokens, maxModelLen));
    }
    return null;
  }

  /** The message when the prompt alone reaches the limit. */
  public static String promptTooLong(int promptTokens, int maxModelLen) {
    return "This model's maximum context length is " + maxModelLen
        + " tokens. However, your request has " + promptTokens
        + " input tokens. Please reduce the length of the input messages.";
  }

  /** The message when prompt + max_tokens exceeds the limit. */
  public static String maxTokensTooLarge(int promptTokens, int maxTokens, int maxModelLen) {
    return "'max_tokens' or 'max_completion_tokens' is too large: " + maxTokens
        + ". This model's maximum context length is " + maxModelLen
        + " tokens and your request has " + promptTokens + " input tokens (" + maxTokens + " > "
        + maxModelLen + " - " + promptTokens + ").";
  }

  /** The HTTP 503 message of the queue cap (vLLM leaves the exact text unspecified). */
  public static String queueFull(int cap) {
    return "The server has too many queued requests (max_num_queued_reqs=" + cap
        + "). Please retry later.";
  }
}
