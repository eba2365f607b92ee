package io.poolbench.router.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.traces.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyKindTest {

  private static final PoolTable TWO = new PoolTable(List.of(
      new PoolSpec("short", 8192, 128), new PoolSpec("long", 65536, 16)));

  private static RouteDecision route(PolicyKind kind, PolicySettings settings, long prompt,
      long output, long oracle, double shortPressure, double longPressure) {
    RouteDecision d = new RouteDecision();
    d.estimate(0, prompt, output);
    kind.create(TWO, settings).choose(new RequestView().oracleTotalTokens(oracle), d,
        p -> p == 0 ? shortPressure : longPressure);
    return d;
  }

  @ParameterizedTest
  @CsvSource({"Token-Budget,token-budget", "ORACLE,oracle", "round_robin,round-robin",
      " k-pools ,k-pools"})
  void named_matchesCaseInsensitively(String spelled, String expected) {
    assertThat(PolicyKind.named(spelled).policyName()).isEqualTo(expected);
  }

  @Test
  void named_unknownName_listsValidNames() {
    assertThatThrownBy(() -> PolicyKind.named("budget"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Unknown policy 'budget'; valid policies: single, token-budget, k-pools, "
            + "prompt-only, oracle, random, round-robin");
  }

  @ParameterizedTest
  @CsvSource({"8000,192,0", "8000,193,1", "100,9000,1", "9000,0,1"})
  void tokenBudget_splitsOnTotalAtShortBudget(long prompt, long output, int expectedPool) {
    RouteDecision d = route(PolicyKind.TOKEN_BUDGET, PolicySettings.DEFAULTS, prompt, output, -1,
        0, 0);
    assertThat(d.pool()).isEqualTo(expectedPool);
    assertThat(d.routedTokens()).isEqualTo(prompt + output);
  }

  @Test
  void promptOnly_ignoresOutputBudget() {
    assertThat(route(PolicyKind.PROMPT_ONLY, PolicySettings.DEFAULTS, 100, 9000, -1, 0, 0).pool())
        .isZero();
  }

  @Test
  void oracle_usesTrueTotalWhenSupplied_elseEstimate() {
    assertThat(route(PolicyKind.ORACLE, PolicySettings.DEFAULTS, 100, 100, 9000, 0, 0).pool())
        .isEqualTo(1);
    assertThat(route(PolicyKind.ORACLE, PolicySettings.DEFAULTS, 100, 100, -1, 0, 0).pool())
        .isZero();
  }

  @Test
  void spillover_movesShortRequestToLessLoadedLongPool() {
    RouteDecision spilled =
        route(PolicyKind.TOKEN_BUDGET, PolicySettings.DEFAULTS, 1000, 100, -1, 0.9, 0.3);
    assertThat(spilled.pool()).isEqualTo(1);
    assertThat(spilled.preferredPool()).isZero();
    assertThat(spilled.spilled()).isTrue();
    // below the threshold, into a busier pool, or with spillover off: stays short
    assertThat(route(PolicyKind.TOKEN_BUDGET, PolicySettings.DEFAULTS, 1000, 100, -1, 0.84, 0)
        .pool()).isZero();
    assertThat(route(PolicyKind.TOKEN_BUDGET, PolicySettings.DEFAULTS, 1000, 100, -1, 0.9, 0.95)
        .pool()).isZero();
    assertThat(route(PolicyKind.TOKEN_BUDGET, PolicySettings.DEFAULTS.withSpillover(false), 1000,
        100, -1, 0.9, 0).pool()).isZero();
  }

  @Test
  void shortBudgetAboveShortPoolLimit_stillRespectsMaxModelLen() {
    RouteDecision d = route(PolicyKind.TOKEN_BUDGET,
        PolicySettings.DEFAULTS.withShortBudgetTokens(16384), 9000, 0, -1, 0, 0);
    assertThat(d.pool()).isEqualTo(1);
  }

  @Test
  void kPools_usesConfiguredThresholds() {
    PoolTable three = new PoolTable(List.of(new PoolSpec("a", 4096, 1),
        new PoolSpec("b", 16384, 1), new PoolSpec("c", 65536, 1)));
    PoolPolicy policy = PolicyKind.K_POOLS.create(three,
        PolicySettings.DEFAULTS.withKThresholds(2048, 12000));
    int[] expected = {0, 1, 1, 2};
    long[] totals = {2048, 2049, 12000, 12001};
    for (int i = 0; i < totals.length; i++) {
      RouteDecision d = new RouteDecision();
      d.estimate(0, totals[i], 0);
      policy.choose(new RequestView(), d, PoolPressure.IDLE);
      assertThat(d.pool()).as("total %d", totals[i]).isEqualTo(expected[i]);
    }
  }

  @Test
  void create_wrongPoolCount_isBadInput() {
    assertThatThrownBy(() -> PolicyKind.SINGLE.create(TWO, PolicySettings.DEFAULTS))
        .isInstanceOf(BadInputException.class)
        .hasMessage("policy 'single' needs exactly 1 pool, got 2");
    PoolTable three = new PoolTable(List.of(new PoolSpec("a", 1, 1), new PoolSpec("b", 2, 1),
        new PoolSpec("c", 3, 1)));
    assertThatThrownBy(() -> PolicyKind.TOKEN_BUDGET.create(three, PolicySettings.DEFAULTS))
        .hasMessage("policy 'token-budget' needs exactly 2 pools (short, long), got 3; use "
            + "'k-pools' for more");
  }

  @Test
  void poolTable_rejectsDescendingPools() {
    assertThatThrownBy(() -> new PoolTable(List.of(new PoolSpec("long", 65536, 1),
        new PoolSpec("short", 8192, 1))))
        .isInstanceOf(BadInputException.class)
        .hasMessage("pools must be listed in ascending max-model-len order, but 'short' (8192) "
            + "follows 'long' (65536)");
  }

  @Test
  void roundRobin_cyclesOverFittingPoolsOnly() {
    PoolPolicy rr = PolicyKind.ROUND_ROBIN.create(TWO, PolicySettings.DEFAULTS);
    int[] small = new int[2];
    int[] big = new int[2];
    for (int i = 0; i < 10; i++) {
      RouteDecision d = new RouteDecision();
      d.estimate(0, 100, 0);
      rr.choose(new RequestView(), d, PoolPressure.IDLE);
      small[d.pool()]++;
    }
    for (int i = 0; i < 10; i++) {
      RouteDecision d = new RouteDecision();
      d.estimate(0, 10_000, 0);
      rr.choose(new RequestView(), d, PoolPressure.IDLE);
      big[d.pool()]++;
    }
    assertThat(small).containsExactly(5, 5);
    assertThat(big).containsExactly(0, 10);
  }
}
