package io.poolbench.router.policy;

import io.poolbench.traces.BadInputException;

/**
 * Settings shared by the pool policies (defaults in {@link #DEFAULTS}).
 *
 * @param shortBudgetTokens B_short: {@code token-budget}, {@code prompt-only} and {@code oracle}
 *     send a request to the short pool when its routed tokens are at most this (8192)
 * @param kThresholds ascending thresholds for {@code k-pools}, one fewer than the pools; empty to
 *     use each pool's {@code max_model_len}
 * @param spillover whether load may push a request to the next larger pool (true)
 * @param spillPressure pool pressure at or above which a request spills (0.85, the companion
 *     simulator's {@code SpilloverRouter} value)
 * @param seed seed of the {@code random} policy
 */
public record PolicySettings(
    int shortBudgetTokens,
    int[] kThresholds,
    boolean spillover,
    double spillPressure,
    long seed) {

  /** B_short 8192, pool limits as k-pool thresholds, spillover at pressure 0.85, seed 1. */
  public static final PolicySettings DEFAULTS = new PolicySettings(8192, new int[0], true, 0.85, 1);

  public PolicySettings {
    if (shortBudgetTokens <= 0) {
      throw new BadInputException(
          "policy b-short-tokens (" + shortBudgetTokens + ") must be > 0, e.g. 8192");
    }
    kThresholds = kThresholds == null ? new int[0] : kThresholds.clone();
    for (int i = 0; i < kThresholds.length; i++) {
      if (kThresholds[i] <= 0 || (i > 0 && kThresholds[i] <= kThresholds[i - 1])) {
        throw new BadInputException("policy k-thresholds[" + i + "] (" + kThresholds[i]
            + ") must be > 0 and greater than the previous threshold");
      }
    }
    if (!(spillPressure > 0) || Double.isInfinite(spillPressure)) {
      throw new BadInputException(
          "policy spill-pressure (" + spillPressure + ") must be > 0, e.g. 0.85");
    }
  }

  @Override
  public int[] kThresholds() {
    return kThresholds.clone();
  }

  public PolicySettings withShortBudgetTokens(int tokens) {
    return new PolicySettings(tokens, kThresholds, spillover, spillPressure, seed);
  }

  public PolicySettings withKThresholds(int... thresholds) {
    return new PolicySettings(shortBudgetTokens, thresholds, spillover, spillPressure, seed);
  }

  public PolicySettings withSpillover(boolean enabled) {
    return new PolicySettings(shortBudgetTokens, kThresholds, enabled, spillPressure, seed);
  }

  public PolicySettings withSpillPressure(double pressure) {
    return new PolicySettings(shortBudgetTokens, kThresholds, spillover, pressure, seed);
  }

  public PolicySettings withSeed(long value) {
    return new PolicySettings(shortBudgetTokens, kThresholds, spillover, spillPressure, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicySettings p && p.shortBudgetTokens == shortBudgetTokens
        && java.util.Arrays.equals(p.kThresholds, kThresholds) && p.spillover == spillover
        && Double.compare(p.spillPressure, spillPressure) == 0 && p.seed == seed;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(shortBudgetTokens, java.util.Arrays.hashCode(kThresholds),
        spillover, spillPressure, seed);
  }

  @Override
  public String toString() {
    return "PolicySettings[shortBudgetTokens=" + shortBudgetTokens + ", kThresholds="
        + java.util.Arrays.toString(kThresholds) + ", spillover=" + spillover
        + ", spillPressure=" + spillPressure + ", seed=" + seed + "]";
  }
}
