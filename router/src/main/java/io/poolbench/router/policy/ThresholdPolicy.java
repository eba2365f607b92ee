package io.poolbench.router.policy;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.traces.BadInputException;

/**
 * Threshold routing over ascending pools (arXiv 2604.09613 / 2604.08075 §2.2): the first pool
 * whose threshold and {@code max_model_len} both hold the routed tokens wins, with load-aware
 * spillover to a larger pool. Backs {@code token-budget} (routes on the estimated total),
 * {@code k-pools} (several thresholds), {@code prompt-only} (ignores the output budget, an
 * ablation) and {@code oracle} (routes on the true total when the caller supplies it).
 *
 * <p>Spillover (P2's load-aware spill; trigger as in the companion simulator): when the preferred
 * pool's pressure is at or above {@code spillPressure}, the request goes to the next larger pool
 * whose pressure is lower than the preferred one's. Larger pools always hold the routed tokens
 * (pools are ascending), so a spill never lands in a pool that is too small.
 */
public final class ThresholdPolicy implements PoolPolicy {

  /** Which number a threshold policy compares with its thresholds. */
  public enum Basis {
    /** ⌈bytes ÷ ratio⌉ + output budget: the papers' L_total. */
    ESTIMATED_TOTAL,
    /** ⌈bytes ÷ ratio⌉ only, ignoring max_tokens (the prompt-only ablation). */
    ESTIMATED_PROMPT,
    /** The caller's true total when set, else the estimated total. */
    ORACLE_TOTAL
  }

  private final String name;
  private final PoolTable pools;
  private final long[] thresholds;
  private final Basis basis;
  private final boolean spillover;
  private final double spillPressure;

  ThresholdPolicy(String name, PoolTable pools, int[] thresholds, Basis basis,
      PolicySettings settings) {
    if (thresholds.length != pools.size() - 1) {
      throw new BadInputException("policy '" + name + "' needs " + (pools.size() - 1)
          + " threshold(s) for " + pools.size() + " pools, got " + thresholds.length);
    }
    this.name = name;
    this.pools = pools;
    this.thresholds = new long[thresholds.length];
    for (int i = 0; i < thresholds.length; i++) {
      this.thresholds[i] = thresholds[i];
    }
    this.basis = basis;
    this.spillover = settings.spillover();
    this.spillPressure = settings.spillPressure();
  }

  /** {@code token-budget}: two pools split at B_short on the estimated total. */
  static ThresholdPolicy tokenBudget(PoolTable pools, PolicySettings settings) {
    return twoPool(PolicyKind.TOKEN_BUDGET, pools, settings, Basis.ESTIMATED_TOTAL);
  }

  /** {@code prompt-only}: like token-budget but blind to max_tokens. */
  static ThresholdPolicy promptOnly(PoolTable pools, PolicySettings settings) {
    return twoPool(PolicyKind.PROMPT_ONLY, pools, settings, Basis.ESTIMATED_PROMPT);
  }

  /** {@code oracle}: like token-budget but on the true total when known. */
  static ThresholdPolicy oracle(PoolTable pools, PolicySettings settings) {
    if (pools.size() == 1) {
      return new ThresholdPolicy(PolicyKind.ORACLE.policyName(), pools, new int[0],
          Basis.ORACLE_TOTAL, settings);
    }
    if (pools.size() == 2) {
      return twoPool(PolicyKind.ORACLE, pools, settings, Basis.ORACLE_TOTAL);
    }
    return new ThresholdPolicy(PolicyKind.ORACLE.policyName(), pools,
        kThresholds(pools, settings), Basis.ORACLE_TOTAL, settings);
  }

  /** {@code k-pools}: ascending thresholds, by default each pool's max_model_len. */
  static ThresholdPolicy kPools(PoolTable pools, PolicySettings settings) {
    return new ThresholdPolicy(PolicyKind.K_POOLS.policyName(), pools,
        kThresholds(pools, settings), Basis.ESTIMATED_TOTAL, settings);
  }

  private static ThresholdPolicy twoPool(
      PolicyKind kind, PoolTable pools, PolicySettings settings, Basis basis) {
    if (pools.size() != 2) {
      throw new BadInputException("policy '" + kind.policyName() + "' needs exactly 2 pools "
          + "(short, long), got " + pools.size() + "; use 'k-pools' for more");
    }
    return new ThresholdPolicy(kind.policyName(), pools,
        new int[] {settings.shortBudgetTokens()}, basis, settings);
  }

  private static int[] kThresholds(PoolTable pools, PolicySettings settings) {
    int[] configured = settings.kThresholds();
    if (configured.length > 0) {
      return configured;
    }
    int[] limits = new int[pools.size() - 1];
    for (int i = 0; i < limits.length; i++) {
      limits[i] = pools.maxModelLen(i);
    }
    return limits;
  }

  @Override
  public String name() {
    return name;
  }

  /** The routing basis. */
  public Basis basis() {
    return basis;
  }

  @Override
  public void choose(RequestView request, RouteDecision decision, PoolPressure pressure) {
    long tokens = switch (basis) {
      case ESTIMATED_TOTAL -> decision.estimatedTotalTokens();
      case ESTIMATED_PROMPT -> decision.estimatedPromptTokens();
      case ORACLE_TOTAL -> request.oracleTotalTokens() >= 0
          ? request.oracleTotalTokens() : decision.estimatedTotalTokens();
    };
    int last = pools.last();
    int preferred = last;
    for (int i = 0; i < thresholds.length; i++) {
      if (tokens <= thresholds[i] && pools.fits(i, tokens)) {
        preferred = i;
        break;
      }
    }
    boolean over = !pools.fits(preferred, tokens);
    int chosen = preferred;
    if (spillover && preferred < last) {
      double own = pressure.pressure(preferred);
      if (own >= spillPressure) {
        for (int j = preferred + 1; j <= last; j++) {
          if (pools.fits(j, tokens) && pressure.pressure(j) < own) {
            chosen = j;
            break;
          }
        }
      }
    }
    decision.choose(chosen, preferred, tokens, chosen != preferred, over);
  }
}
