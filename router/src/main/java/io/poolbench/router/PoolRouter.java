package io.poolbench.router;

import io.poolbench.router.estimate.TokenBudgetEstimator;
import io.poolbench.router.metrics.RouterMetrics;
import io.poolbench.router.metrics.RouterSnapshot;
import io.poolbench.router.policy.PolicyKind;
import io.poolbench.router.policy.PoolPolicy;
import io.poolbench.router.policy.PoolTable;
import java.util.List;
import java.util.Objects;

/**
 * The routing entry point: estimate a request's token budget, let the policy pick a pool, name the
 * context-length fallback, and learn from the response.
 *
 * <p>Thread-safe. {@link #decide(RequestView, PoolPressure, RouteDecision)} is allocation-free
 * once a request's category is registered; the simulator calls it single-threaded on virtual
 * time, the router service from many threads.
 *
 * <pre>{@code
 * PoolRouter router = PoolRouter.create(RouterSettings.twoPools("token-budget", 128, 16));
 * RequestView view = new RequestView();
 * RouteDecision decision = new RouteDecision();
 * router.decide(view.clear().promptBytes(5_000).maxTokens(512).category("prose"),
 *     PoolPressure.IDLE, decision);
 * // send to decision.pool(); on a context-length 400: if (router.fallback(decision)) retry
 * router.feedback(decision, Outcome.OK, usagePromptTokens, usageCompletionTokens, nanos);
 * }</pre>
 */
public final class PoolRouter {

  private final PoolTable pools;
  private final PoolPolicy policy;
  private final TokenBudgetEstimator estimator;
  private final RouterMetrics metrics;

  /** Builds the router from explicit parts (for tests and custom policies). */
  public PoolRouter(PoolTable pools, PoolPolicy policy, TokenBudgetEstimator estimator) {
    this.pools = Objects.requireNonNull(pools, "pools");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.metrics = new RouterMetrics(pools.size(), estimator.categories().capacity());
  }

  /** Builds pools, policy and estimator from {@code settings}. */
  public static PoolRouter create(RouterSettings settings) {
    PoolTable table = new PoolTable(settings.pools());
    PoolPolicy policy = PolicyKind.named(settings.policy()).create(table, settings.policySettings());
    return new PoolRouter(table, policy, new TokenBudgetEstimator(settings.estimatorSettings()));
  }

  public List<PoolSpec> pools() {
    return pools.pools();
  }

  public PoolTable poolTable() {
    return pools;
  }

  public PoolPolicy policy() {
    return policy;
  }

  public TokenBudgetEstimator estimator() {
    return estimator;
  }

  public RouterMetrics metrics() {
    return metrics;
  }

  /** A named copy of the metrics and the estimator state, for exporters. */
  public RouterSnapshot snapshot() {
    return RouterSnapshot.of(metrics, pools.pools(), estimator);
  }

  /**
   * Decides where {@code request} goes and writes the result into {@code out} (cleared first).
   * Allocation-free for registered categories.
   *
   * @return {@code out}
   */
  public RouteDecision decide(RequestView request, PoolPressure pressure, RouteDecision out) {
    out.clear();
    out.request(request.promptBytes(), request.exactPromptTokens() >= 0);
    estimator.estimate(request, out);
    policy.choose(request, out, pressure);
    out.fallbackPool = pools.nextLarger(out.pool);
    metrics.recordDecision(out.pool, out.spilled, out.overLimit);
    return out;
  }

  /** Convenience for callers that do not reuse objects: decides with idle pools. */
  public RouteDecision decide(RequestView request) {
    return decide(request, PoolPressure.IDLE, new RouteDecision());
  }

  /**
   * The explicit fallback path: the pool in {@code decision} answered with vLLM's
   * context-length 400. Counts a misroute and, when a larger pool exists, moves the decision
   * there (the only way a request reaches a pool chosen without regard to the estimate).
   *
   * @return true when the caller should retry in {@code decision.pool()}; false when no larger
   *     pool exists (the error is final)
   */
  public boolean fallback(RouteDecision decision) {
    metrics.recordMisroute(decision.pool);
    int next = decision.fallbackPool;
    if (next < 0) {
      return false;
    }
    decision.pool = next;
    decision.spilled = false;
    decision.retries++;
    decision.fallbackPool = pools.nextLarger(next);
    return true;
  }

  /**
   * Learns from a response. Counts the outcome; on {@link Outcome#OK} with a usage block, feeds
   * the estimator ({@code usage.prompt_tokens} against the prompt's bytes, and
   * {@code usage.completion_tokens}) and records the estimate error. Token-id prompts teach the
   * ratio nothing and are skipped. Pass {@code -1} for a missing usage field or latency; the
   * latency goes into the pool's latency total. Allocation-free.
   *
   * @param decision the decision made for the request (after any fallback), which carries the
   *     category, the prompt bytes and the estimate
   */
  public void feedback(RouteDecision decision, Outcome outcome, int promptTokens,
      int completionTokens, long latencyNanos) {
    int category = decision.categoryIndex;
    metrics.recordOutcome(decision.pool, category, outcome);
    if (latencyNanos >= 0) {
      metrics.recordLatency(decision.pool, latencyNanos);
    }
    if (outcome != Outcome.OK) {
      return;
    }
    if (promptTokens > 0) {
      metrics.recordPromptError(decision.estimatedPromptTokens - promptTokens);
      if (!decision.exactPrompt) {
        estimator.observe(category, decision.promptBytes, promptTokens);
      }
    }
    if (completionTokens >= 0) {
      estimator.observeCompletion(category, completionTokens);
    }
  }

  /** {@link #feedback(RouteDecision, Outcome, int, int, long)}; the view is not needed. */
  public void feedback(RequestView request, RouteDecision decision, Outcome outcome,
      int promptTokens, int completionTokens, long latencyNanos) {
    feedback(decision, outcome, promptTokens, completionTokens, latencyNanos);
  }

  /** {@link #feedback(RequestView, RouteDecision, Outcome, int, int, long)} from a record. */
  public void feedback(RequestView request, RouteDecision decision, Feedback response) {
    feedback(decision, response.outcome(), response.promptTokens(),
        response.completionTokens(), response.latencyNanos());
  }
}
