package io.poolbench.reports.model;

/**
 * One run in a report: its data, the label that groups it (a policy such as
 * {@code token-budget}, or a user label), the unique name shown in legends, and its index, which
 * picks its color.
 *
 * @param label the mode label; live and simulated runs of the same mode share it
 * @param name unique display name (the label, plus the run mode or directory when needed)
 * @param index position in the report, 0-based
 */
public record ModeRun(String label, String name, int index, RunData run) {

  /** {@code simulate}, {@code loadgen}, or {@code unknown}. */
  public String mode() {
    return run.facts().mode();
  }
}
