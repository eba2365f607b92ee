package io.poolbench.harness.sizing;

/** The papers' cost arithmetic (arXiv 2604.09613 / 2604.08075). */
public final class CostModel {
  /** Hours in a year by default (the papers' $2.86M figure implies 8,640). */
  public static final double HOURS_PER_YEAR = 8760;

  private CostModel() {}

  /**
   * Fraction of GPUs the two-pool fleet saves: α(1 − 1/ρ), with α the share of requests within
   * B_short and ρ the short pool's per-instance throughput over the long pool's.
   */
  public static double closedFormSavings(double alpha, double rho) {
    if (alpha < 0 || alpha > 1 || !(rho > 0)) {
      throw new IllegalArgumentException("alpha (" + alpha + ") must be in [0, 1] and rho ("
          + rho + ") > 0");
    }
    return alpha * (1 - 1 / rho);
  }

  /** Instances a pool needs for {@code rate} req/s at {@code perInstance} req/s: ⌈λ/μ⌉. */
  public static int instancesFor(double rate, double perInstance) {
    if (rate <= 0) {
      return 0;
    }
    return (int) Math.ceil(rate / perInstance - 1e-9);
  }

  /** Dollars per year of {@code gpus} GPUs at {@code dollarsPerGpuHour}. */
  public static double dollarsPerYear(int gpus, double dollarsPerGpuHour, double hoursPerYear) {
    return gpus * dollarsPerGpuHour * hoursPerYear;
  }
}
