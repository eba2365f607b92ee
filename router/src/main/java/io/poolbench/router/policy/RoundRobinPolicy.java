package io.poolbench.router.policy;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round-robin}: a baseline that cycles through the pools whose {@code max_model_len} holds
 * the estimated total. Thread-safe (one atomic increment per decision), allocation-free.
 */
public final class RoundRobinPolicy implements PoolPolicy {

  private final PoolTable pools;
  private final AtomicLong next = new AtomicLong();

  public RoundRobinPolicy(PoolTable pools, PolicySettings settings) {
    this.pools = pools;
  }

  @Override
  public String name() {
    return PolicyKind.ROUND_ROBIN.policyName();
  }

  @Override
  public void choose(RequestView request, RouteDecision decision, PoolPressure pressure) {
    long tokens = decision.estimatedTotalTokens();
    int first = pools.firstFitting(tokens);
    if (first < 0) {
      decision.choose(pools.last(), pools.last(), tokens, false, true);
      return;
    }
    int choices = pools.size() - first;
    int pool = first + (int) Long.remainderUnsigned(next.getAndIncrement(), choices);
    decision.choose(pool, pool, tokens, false, false);
  }
}
