package io.poolbench.reports.model;

import io.poolbench.reports.rundir.RunInfo;
import java.util.List;
import java.util.Map;

/**
 * Typed look-ups into run.json's free-form {@code config} map (policy, fleet name, GPU price,
 * short-pool budget, interval length). Every look-up tolerates absent or oddly typed values,
 * because producers other than the simulator may write fewer keys.
 */
public final class RunFacts {
  private final RunInfo info;

  public RunFacts(RunInfo info) {
    this.info = info;
  }

  /** {@code simulate}, {@code loadgen}, or {@code unknown}. */
  public String mode() {
    return info.mode() == null || info.mode().isBlank() ? "unknown" : info.mode();
  }

  /** The routing policy, or null. */
  public String policy() {
    return string(config().get("policy"));
  }

  /** The fleet's name (config.fleet.name or config.name), or null. */
  public String fleetName() {
    String n = string(map(config().get("fleet")).get("name"));
    return n != null ? n : string(config().get("name"));
  }

  /** Pool names of the fleet, in run.json order. */
  public List<String> poolNames() {
    return info.fleet() == null ? List.of()
        : info.fleet().stream().map(RunInfo.Pool::name).toList();
  }

  /**
   * $ per GPU-hour: a pool setting {@code dollars_per_gpu_hour}, else {@code config.gpu_price},
   * else {@code config.fleet.gpu-price}; null when run.json has no price.
   */
  public Double gpuPricePerHour() {
    if (info.fleet() != null) {
      for (RunInfo.Pool p : info.fleet()) {
        Double d = number(map(p.settings()).get("dollars_per_gpu_hour"));
        if (d != null) {
          return d;
        }
      }
    }
    Double d = number(config().get("gpu_price"));
    return d != null ? d : number(map(config().get("fleet")).get("gpu-price"));
  }

  /** The short-pool budget B_short in tokens (config.short_budget_tokens), or null. */
  public Integer shortBudgetTokens() {
    Double d = number(config().get("short_budget_tokens"));
    return d == null ? null : d.intValue();
  }

  /**
   * GPUs the run's fleet needed when it was sized for the SLO before the run
   * ({@code poolbench compare --sized}: config.gpus_needed), or null for a run at a given fleet.
   */
  public Integer gpusNeeded() {
    Double d = number(config().get("gpus_needed"));
    return d == null ? null : d.intValue();
  }

  /** The latency.hlog interval in seconds (config.hlog_interval_s), or null. */
  public Double intervalSeconds() {
    return number(config().get("hlog_interval_s"));
  }

  /** An engine setting of pool {@code pool}, as a number, or null. */
  public Double poolSetting(String pool, String key) {
    if (info.fleet() == null) {
      return null;
    }
    for (RunInfo.Pool p : info.fleet()) {
      if (p.name() != null && p.name().equals(pool)) {
        return number(map(p.settings()).get(key));
      }
    }
    return null;
  }

  private Map<String, Object> config() {
    return info.config() == null ? Map.of() : info.config();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static String string(Object o) {
    return o == null ? null : o.toString();
  }

  static Double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    if (o instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
