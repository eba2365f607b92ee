package io.poolbench.router;

import java.util.Objects;

/**
 * What an engine's response tells the router.
 *
 * @param outcome how the request ended
 * @param promptTokens {@code usage.prompt_tokens}, or -1 when absent
 * @param completionTokens {@code usage.completion_tokens}, or -1 when absent
 * @param latencyNanos time from dispatch to the last byte, in nanoseconds (≥ 0)
 */
public record Feedback(Outcome outcome, int promptTokens, int completionTokens,
    long latencyNanos) {

  public Feedback {
    Objects.requireNonNull(outcome, "outcome");
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("latencyNanos (" + latencyNanos + ") must be >= 0");
    }
  }

  /** A successful response with its usage block. */
  public static Feedback ok(int promptTokens, int completionTokens, long latencyNanos) {
    return new Feedback(Outcome.OK, promptTokens, completionTokens, latencyNanos);
  }

  /** A failure without usage. */
  public static Feedback failed(Outcome outcome, long latencyNanos) {
    return new Feedback(outcome, -1, -1, latencyNanos);
  }
}
