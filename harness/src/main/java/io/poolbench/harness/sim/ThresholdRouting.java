package io.poolbench.harness.sim;

import io.poolbench.reports.rundir.OutcomeKind;
import java.util.List;

/**
 * Interim routing until the router-core classes are merged: the smallest pool whose
 * max_model_len holds prompt + max_tokens, with spillover to the next larger pool at a pressure.
 */
final class ThresholdRouting implements Routing {
  private final int[] maxModelLen;
  private final double spillPressure;

  ThresholdRouting(List<PoolSetup> pools, double spillPressure) {
    this.maxModelLen = pools.stream().mapToInt(p -> p.engine().maxModelLen()).toArray();
    this.spillPressure = spillPressure;
  }

  @Override
  public void route(SimRequest request, Load load) {
    long budget = (long) request.trace.promptTokens()
        + (request.sentMaxTokens > 0 ? request.sentMaxTokens : request.trace.outputTokens());
    int pool = maxModelLen.length - 1;
    for (int p = 0; p < maxModelLen.length; p++) {
      if (budget <= maxModelLen[p]) {
        pool = p;
        break;
      }
    }
    if (pool + 1 < maxModelLen.length && load.pressure(pool) >= spillPressure) {
      pool++;
      request.spilled = true;
    }
    request.pool = pool;
  }

  @Override
  public boolean fallback(SimRequest request) {
    if (request.pool + 1 < maxModelLen.length) {
      request.pool++;
      return true;
    }
    return false;
  }

  @Override
  public void feedback(SimRequest request, OutcomeKind outcome, int promptTokens,
      int completionTokens, long latencyNanos) {}

  @Override
  public String describe() {
    return "threshold(spill=" + spillPressure + ")";
  }
}
