package io.poolbench.harness.perf;

/** Predicts the wall time of one engine step from what the step computes. */
public interface PerfModel {

  /** Duration of a step with this shape, in nanoseconds (> 0 for a non-empty step). */
  long stepNanos(StepShape step);

  /** A short description for run.json and logs, e.g. {@code affine(W=8ms,H=0.65ms@8K)}. */
  String describe();
}
