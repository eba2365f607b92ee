package io.poolbench.harness.perf;

/**
 * What one engine step computes, summed over its scheduled sequences. One instance is reused for
 * every step of an engine (no allocation per step).
 */
public final class StepShape {
  /** Sequences scheduled in this step. */
  public int sequences;
  /** Prompt (or recompute) tokens processed in this step. */
  public int prefillTokens;
  /** Sequences that decode one token in this step. */
  public int decodeTokens;
  /** Sum over scheduled sequences of their context length at the end of the step. */
  public long contextTokens;
  /** Sum over scheduled tokens of the context each one attends to (attention work). */
  public long attendedTokens;

  /** Clears the shape for the next step. */
  public void reset() {
    sequences = 0;
    prefillTokens = 0;
    decodeTokens = 0;
    contextTokens = 0;
    attendedTokens = 0;
  }

  /** Adds a sequence that computes {@code newTokens} tokens after {@code computedBefore}. */
  public void add(int computedBefore, int newTokens, boolean decode) {
    sequences++;
    if (decode) {
      decodeTokens += newTokens;
    } else {
      prefillTokens += newTokens;
    }
    long after = (long) computedBefore + newTokens;
    contextTokens += after;
    attendedTokens += (long) newTokens * computedBefore + (long) newTokens * (newTokens + 1) / 2;
  }

  /** All tokens computed in this step. */
  public int tokens() {
    return prefillTokens + decodeTokens;
  }
}
