package io.poolbench.router.policy;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;

/**
 * Chooses a pool for a request whose estimate the router already computed. Implementations are
 * thread-safe and allocation-free on {@link #choose}.
 */
public interface PoolPolicy {

  /** The registry name ({@link PolicyKind#policyName()}). */
  String name();

  /**
   * Picks a pool and records it with {@link RouteDecision#choose}. {@code decision} already holds
   * the estimated prompt tokens and output budget; {@code pressure} gives each pool's load.
   * Never picks a pool whose {@code max_model_len} is below the routed tokens; when no pool is
   * large enough it picks the largest and marks the decision over-limit.
   */
  void choose(RequestView request, RouteDecision decision, PoolPressure pressure);
}
