package io.poolbench.router.metrics;

import io.poolbench.router.Outcome;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.estimate.CategoryStats;
import io.poolbench.router.estimate.TokenBudgetEstimator;
import java.util.ArrayList;
import java.util.List;

/**
 * A point-in-time copy of a router's metrics with names resolved, ready for an exporter
 * (Prometheus text, JSON): per-pool counters, non-zero outcome counts, the estimate-error
 * histogram and the estimator's per-category state.
 *
 * @param pools per-pool decision, spillover, misroute and latency counts
 * @param overLimit decisions where no pool was large enough
 * @param outcomes non-zero counts per pool, category and outcome
 * @param promptErrorUpperBounds finite bucket bounds of the error histogram (tokens)
 * @param promptErrorCounts per-bucket counts, one more than the bounds (the last is +∞)
 * @param promptErrorSum sum of recorded errors (estimated − actual prompt tokens)
 * @param categories the estimator's ratio and sample count per category
 */
public record RouterSnapshot(
    List<PoolCounts> pools,
    long overLimit,
    List<OutcomeCount> outcomes,
    long[] promptErrorUpperBounds,
    long[] promptErrorCounts,
    long promptErrorSum,
    List<CategoryStats> categories) {

  /** Counters of one pool; latency is the sum over {@code responses} responses. */
  public record PoolCounts(String pool, long decisions, long spillovers, long misroutes,
      long responses, long latencyNanosSum) {}

  /** One non-zero outcome counter. */
  public record OutcomeCount(String pool, String category, Outcome outcome, long count) {}

  /** Copies {@code metrics}, naming pools from {@code pools} and categories from the estimator. */
  public static RouterSnapshot of(RouterMetrics metrics, List<PoolSpec> pools,
      TokenBudgetEstimator estimator) {
    List<PoolCounts> counts = new ArrayList<>();
    List<OutcomeCount> outcomes = new ArrayList<>();
    int categories = estimator.categories().size();
    for (int p = 0; p < pools.size(); p++) {
      String name = pools.get(p).name();
      counts.add(new PoolCounts(name, metrics.decisions(p), metrics.spillovers(p),
          metrics.misroutes(p), metrics.responses(p), metrics.latencyNanosSum(p)));
      for (int c = 0; c < categories; c++) {
        for (Outcome o : Outcome.values()) {
          long n = metrics.outcomes(p, c, o);
          if (n > 0) {
            outcomes.add(new OutcomeCount(name, estimator.categories().name(c), o, n));
          }
        }
      }
    }
    SignedHistogram h = metrics.promptError();
    return new RouterSnapshot(List.copyOf(counts), metrics.overLimit(), List.copyOf(outcomes),
        SignedHistogram.upperBounds(), h.bucketCounts(), h.sum(), estimator.snapshot());
  }
}
