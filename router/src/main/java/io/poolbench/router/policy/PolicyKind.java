package io.poolbench.router.policy;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** The registry of pool policies: each constant has its config name and a factory. */
public enum PolicyKind {
  /** One homogeneous pool. */
  SINGLE("single", SinglePolicy::new),
  /** Two pools split at B_short on the estimated total (the papers' policy). */
  TOKEN_BUDGET("token-budget", ThresholdPolicy::tokenBudget),
  /** Ascending pools, ascending thresholds on the estimated total. */
  K_POOLS("k-pools", ThresholdPolicy::kPools),
  /** Ablation: two pools split on the prompt estimate alone, ignoring max_tokens. */
  PROMPT_ONLY("prompt-only", ThresholdPolicy::promptOnly),
  /** Upper bound: the true total when the caller supplies it. */
  ORACLE("oracle", ThresholdPolicy::oracle),
  /** Baseline: uniform among pools that fit. */
  RANDOM("random", RandomPolicy::new),
  /** Baseline: cycle through pools that fit. */
  ROUND_ROBIN("round-robin", RoundRobinPolicy::new);

  private final String policyName;
  private final BiFunction<PoolTable, PolicySettings, PoolPolicy> factory;

  PolicyKind(String policyName, BiFunction<PoolTable, PolicySettings, PoolPolicy> factory) {
    this.policyName = policyName;
    this.factory = factory;
  }

  /** The name used in config files, flags and metrics. */
  public String policyName() {
    return policyName;
  }

  /** Builds this policy over {@code pools}; throws {@link BadInputException} on a bad fit. */
  public PoolPolicy create(PoolTable pools, PolicySettings settings) {
    return factory.apply(pools, settings);
  }

  /** Every registry name, in declaration order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(PolicyKind::policyName).toList();
  }

  /** The policy called {@code name} (case-insensitive; {@code _} and {@code -} are the same). */
  public static PolicyKind named(String name) {
    if (name != null) {
      String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (PolicyKind kind : values()) {
        if (kind.policyName.equals(wanted)) {
          return kind;
        }
      }
    }
    throw new BadInputException("Unknown policy '" + name + "'; valid policies: "
        + Arrays.stream(values()).map(PolicyKind::policyName).collect(Collectors.joining(", ")));
  }
}
