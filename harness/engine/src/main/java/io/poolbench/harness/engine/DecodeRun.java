package io.poolbench.harness.engine;

/** The state of a planned run of pure decode steps (see {@link VllmEngine#setFastForward}). */
final class DecodeRun {
  /** Longest run planned at once. */
  static final int MAX_STEPS = 4096;

  /** End time of each step of the run. */
  final long[] ends = new long[MAX_STEPS];
  boolean active;
  int steps;
  /** Start of the run, then the end of the last step applied. */
  long startNanos;
}
