package io.poolbench.router.policy;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code random}: a baseline that picks uniformly among the pools whose {@code max_model_len}
 * holds the estimated total. Seeded: a single thread sees the same sequence for the same seed.
 * Thread-safe through one atomic add per decision (a SplitMix64 step), allocation-free.
 */
public final class RandomPolicy implements PoolPolicy {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final PoolTable pools;
  private final AtomicLong state;

  public RandomPolicy(PoolTable pools, PolicySettings settings) {
    this.pools = pools;
    this.state = new AtomicLong(settings.seed());
  }

  @Override
  public String name() {
    return PolicyKind.RANDOM.policyName();
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
    int pool = first + (int) ((mix(state.addAndGet(GOLDEN_GAMMA)) >>> 1) % choices);
    decision.choose(pool, pool, tokens, false, false);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
