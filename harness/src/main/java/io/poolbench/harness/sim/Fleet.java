package io.poolbench.harness.sim;

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
}
