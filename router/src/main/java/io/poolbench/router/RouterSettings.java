package io.poolbench.router;

import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.policy.PolicyKind;
import io.poolbench.router.policy.PolicySettings;
import io.poolbench.traces.BadInputException;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link PoolRouter} is built from.
 *
 * @param pools pools in ascending {@code max_model_len} order
 * @param policy the pool policy's registry name (see {@link PolicyKind#names()})
 * @param policySettings thresholds, spillover and seed
 * @param estimatorSettings the token-budget estimator's parameters
 */
public record RouterSettings(
    List<PoolSpec> pools,
    String policy,
    PolicySettings policySettings,
    EstimatorSettings estimatorSettings) {

  public RouterSettings {
    Objects.requireNonNull(pools, "pools");
    pools = List.copyOf(pools);
    if (pools.isEmpty()) {
      throw new BadInputException("router needs at least one pool");
    }
    policy = PolicyKind.named(policy).policyName();
    Objects.requireNonNull(policySettings, "policySettings");
    Objects.requireNonNull(estimatorSettings, "estimatorSettings");
  }

  /**
   * The papers' fleet: a short pool ({@code max_model_len} 8192) and a long pool (65536) under
   * {@code policy}, with default settings.
   */
  public static RouterSettings twoPools(String policy, int shortCapacity, int longCapacity) {
    return new RouterSettings(
        List.of(new PoolSpec("short", 8192, shortCapacity), new PoolSpec("long", 65536,
            longCapacity)),
        policy, PolicySettings.DEFAULTS, EstimatorSettings.DEFAULTS);
  }

  public RouterSettings withPolicy(String name) {
    return new RouterSettings(pools, name, policySettings, estimatorSettings);
  }

  public RouterSettings withPools(List<PoolSpec> value) {
    return new RouterSettings(value, policy, policySettings, estimatorSettings);
  }

  public RouterSettings withPolicySettings(PolicySettings value) {
    return new RouterSettings(pools, policy, value, estimatorSettings);
  }

  public RouterSettings withEstimatorSettings(EstimatorSettings value) {
    return new RouterSettings(pools, policy, policySettings, value);
  }
}
