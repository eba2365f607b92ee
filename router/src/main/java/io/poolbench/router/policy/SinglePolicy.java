package io.poolbench.router.policy;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.traces.BadInputException;

/** {@code single}: one homogeneous pool takes everything (the papers' baseline fleet). */
public final class SinglePolicy implements PoolPolicy {

  private final int maxModelLen;

  public SinglePolicy(PoolTable pools, PolicySettings settings) {
    if (pools.size() != 1) {
      throw new BadInputException("policy 'single' needs exactly 1 pool, got " + pools.size());
    }
    this.maxModelLen = pools.maxModelLen(0);
  }

  @Override
  public String name() {
    return PolicyKind.SINGLE.policyName();
  }

  @Override
  public void choose(RequestView request, RouteDecision decision, PoolPressure pressure) {
    long tokens = decision.estimatedTotalTokens();
    decision.choose(0, 0, tokens, false, tokens > maxModelLen);
  }
}
