package io.poolbench.harness.fleet;

import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.policy.PolicySettings;
import java.util.List;

/**
 * A resolved fleet, ready to simulate.
 *
 * @param config the configuration it was resolved from (for run.json and for resizing)
 * @param pools pools in the router's order (smallest max_model_len first)
 * @param policy router-core policy name
 * @param shortBudgetTokens B_short
 * @param spillover whether spillover is on
 * @param spillPressure spill threshold
 * @param instancePicker router-core endpoint picker name
 * @param faults injected faults and restart delay
 * @param seed run seed
 * @param sendOutputAsMaxTokens see {@link FleetConfig#sendOutputAsMaxTokens()}
 * @param startupLog per pool, the KV-capacity lines vLLM would log
 * @param clientTimeoutNanos clients abort requests unfinished this long after arrival (0: never)
 */
public record Fleet(FleetConfig config, List<PoolSetup> pools, String policy,
    int shortBudgetTokens, boolean spillover, double spillPressure, String instancePicker,
    FaultSetup faults, long seed,
    boolean sendOutputAsMaxTokens, List<String> startupLog, long clientTimeoutNanos) {

  public Fleet {
    pools = List.copyOf(pools);
    startupLog = List.copyOf(startupLog);
  }

  /** GPUs of the whole fleet. */
  public int gpus() {
    return pools.stream().mapToInt(PoolSetup::gpus).sum();
  }

  /** Dollars per hour of the whole fleet. */
  public double dollarsPerHour() {
    return pools.stream().mapToDouble(p -> p.gpus() * p.dollarsPerGpuHour()).sum();
  }

  public String name() {
    return config.name();
  }

  /**
   * The router-core settings this fleet routes with: one pool spec per pool (name, max_model_len,
   * capacity), the policy, B_short, spillover and the default estimator. The simulator and a live
   * router in front of the mock fleet use the same settings.
   */
  public RouterSettings routerSettings() {
    List<PoolSpec> specs = new java.util.ArrayList<>();
    for (PoolSetup p : pools) {
      specs.add(new PoolSpec(p.name(), p.engine().maxModelLen(), p.capacity()));
    }
    PolicySettings settings = new PolicySettings(shortBudgetTokens, new int[0], spillover,
        spillPressure, seed);
    return new RouterSettings(specs, policy, settings, EstimatorSettings.DEFAULTS);
  }
}
