package io.poolbench.router;

/** How an engine answered a routed request; feedback and metrics are keyed by it. */
public enum Outcome {
  /** A normal completion with a {@code usage} block. */
  OK,
  /** HTTP 400 with vLLM's "maximum context length" message: the pool was too small. */
  CONTEXT_LENGTH,
  /** The engine shed the request (503 queue overflow, 429) or the router refused it. */
  OVERLOAD,
  /** 5xx, a dead engine, a reset connection or an in-stream error. */
  ENGINE_FAILURE,
  /** The caller gave up waiting. */
  TIMEOUT;

  private static final Outcome[] VALUES = values();

  /** All outcomes, without the defensive copy {@link #values()} makes. */
  static Outcome at(int ordinal) {
    return VALUES[ordinal];
  }

  /** The number of outcomes, for sizing counter arrays. */
  public static int count() {
    return VALUES.length;
  }
}
