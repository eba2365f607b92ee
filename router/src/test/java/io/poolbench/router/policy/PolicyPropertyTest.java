package io.poolbench.router.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyPropertyTest {

  static Stream<PolicyKind> multiPoolPolicies() {
    return Stream.of(PolicyKind.values()).filter(k -> k != PolicyKind.SINGLE);
  }

  private static List<PoolSpec> poolsFor(PolicyKind kind) {
    return switch (kind) {
      case SINGLE -> List.of(new PoolSpec("only", 32768, 16));
      case K_POOLS, RANDOM, ROUND_ROBIN, ORACLE -> List.of(new PoolSpec("4k", 4096, 64),
          new PoolSpec("8k", 8192, 32), new PoolSpec("16k", 16384, 16),
          new PoolSpec("64k", 65536, 8));
      default -> List.of(new PoolSpec("short", 8192, 128), new PoolSpec("long", 65536, 16));
    };
  }

  @ParameterizedTest
  @MethodSource("io.poolbench.router.policy.PolicyPropertyTest#allPolicies")
  void anyPolicy_neverPicksPoolBelowRoutedTokens_unlessOverLimitIsFlagged(PolicyKind kind) {
    // property: whatever the load and request, the chosen pool holds the tokens the policy routed
    // on; the only exception is an explicit over-limit decision (no pool is large enough), and
    // then the largest pool is used
    PoolTable pools = new PoolTable(poolsFor(kind));
    SplittableRandom random = new SplittableRandom(kind.ordinal() + 1);
    PoolPolicy policy = kind.create(pools, PolicySettings.DEFAULTS.withSeed(5));
    double[] load = new double[pools.size()];
    PoolPressure pressure = p -> load[p];
    RequestView view = new RequestView();
    RouteDecision decision = new RouteDecision();
    for (int i = 0; i < 20_000; i++) {
      for (int p = 0; p < load.length; p++) {
        load[p] = random.nextDouble(0, 1.5);
      }
      long prompt = random.nextLong(80_000);
      long output = random.nextLong(20_000);
      view.clear().oracleTotalTokens(random.nextBoolean() ? random.nextLong(90_000) : -1);
      decision.clear();
      decision.estimate(0, prompt, output);
      policy.choose(view, decision, pressure);
      assertThat(decision.pool()).isBetween(0, pools.last());
      if (decision.overLimit()) {
        assertThat(decision.pool()).isEqualTo(pools.last());
        assertThat(decision.routedTokens()).isGreaterThan(pools.maxModelLen(pools.last()));
      } else {
        assertThat(decision.routedTokens()).isLessThanOrEqualTo(
            pools.maxModelLen(decision.pool()));
      }
      if (decision.spilled()) {
        assertThat(decision.pool()).isGreaterThan(decision.preferredPool());
      }
    }
  }

  static Stream<PolicyKind> allPolicies() {
    return Stream.of(PolicyKind.values());
  }

  @ParameterizedTest
  @MethodSource("multiPoolPolicies")
  void anyMultiPoolPolicy_routesEstimateToAFittingPoolWhenOneExists(PolicyKind kind) {
    PoolTable pools = new PoolTable(poolsFor(kind));
    PoolPolicy policy = kind.create(pools, PolicySettings.DEFAULTS);
    RouteDecision decision = new RouteDecision();
    decision.estimate(0, 60_000, 5_000);
    policy.choose(new RequestView(), decision, PoolPressure.IDLE);
    assertThat(decision.overLimit()).isFalse();
    assertThat(decision.pool()).isEqualTo(pools.last());
  }
}
