package io.poolbench.router.metrics;

import io.poolbench.router.Outcome;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters a router keeps: decisions and spillovers per pool, over-limit decisions, misroutes
 * (context-length fallbacks, counted against the pool that was too small), outcomes per
 * pool × category × outcome, response latency totals per pool, and the estimate-error histogram. Lock-free, allocation-free.
 */
public final class RouterMetrics {

  private static final int OUTCOMES = Outcome.count();

  private final int pools;
  private final int categories;
  private final LongAdder[] decisions;
  private final LongAdder[] spillovers;
  private final LongAdder[] misroutes;
  private final LongAdder[] latencyNanos;
  private final LongAdder[] responses;
  private final LongAdder overLimit = new LongAdder();
  private final AtomicLongArray outcomes;
  private final SignedHistogram promptError = new SignedHistogram();

  /** Counters for {@code pools} pools and {@code categories} category slots. */
  public RouterMetrics(int pools, int categories) {
    this.pools = pools;
    this.categories = categories;
    this.decisions = adders(pools);
    this.spillovers = adders(pools);
    this.misroutes = adders(pools);
    this.latencyNanos = adders(pools);
    this.responses = adders(pools);
    this.outcomes = new AtomicLongArray(pools * categories * OUTCOMES);
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  public int poolCount() {
    return pools;
  }

  public int categorySlots() {
    return categories;
  }

  /** Counts a decision for {@code pool}; {@code spilled} also counts a spillover into it. */
  public void recordDecision(int pool, boolean spilled, boolean over) {
    decisions[pool].increment();
    if (spilled) {
      spillovers[pool].increment();
    }
    if (over) {
      overLimit.increment();
    }
  }

  /** Counts a misroute: {@code pool} answered with a context-length error. */
  public void recordMisroute(int pool) {
    misroutes[pool].increment();
  }

  /** Counts an outcome of a request served by {@code pool} in {@code category}. */
  public void recordOutcome(int pool, int category, Outcome outcome) {
    outcomes.incrementAndGet((pool * categories + category) * OUTCOMES + outcome.ordinal());
  }

  /** Adds one response's latency (any outcome) to {@code pool}'s total. */
  public void recordLatency(int pool, long nanos) {
    latencyNanos[pool].add(nanos);
    responses[pool].increment();
  }

  /** Sum of recorded response latencies of {@code pool}, in nanoseconds. */
  public long latencyNanosSum(int pool) {
    return latencyNanos[pool].sum();
  }

  /** Responses whose latency was recorded for {@code pool}. */
  public long responses(int pool) {
    return responses[pool].sum();
  }

  /** Records estimated − actual prompt tokens. */
  public void recordPromptError(long estimatedMinusActual) {
    promptError.record(estimatedMinusActual);
  }

  public long decisions(int pool) {
    return decisions[pool].sum();
  }

  /** Requests that spilled into {@code pool}. */
  public long spillovers(int pool) {
    return spillovers[pool].sum();
  }

  /** Context-length errors answered by {@code pool}. */
  public long misroutes(int pool) {
    return misroutes[pool].sum();
  }

  public long overLimit() {
    return overLimit.sum();
  }

  public long outcomes(int pool, int category, Outcome outcome) {
    return outcomes.get((pool * categories + category) * OUTCOMES + outcome.ordinal());
  }

  /** The estimate-error histogram (estimated − actual prompt tokens). */
  public SignedHistogram promptError() {
    return promptError;
  }
}
