package io.poolbench.harness.sim;

import io.poolbench.harness.engine.BlockHashes;
import io.poolbench.harness.fleet.Fleet;
import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.router.Outcome;
import io.poolbench.router.PoolPressure;
import io.poolbench.router.PoolRouter;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.router.estimate.CategoryStats;
import io.poolbench.router.estimate.PromptBytesModel;
import io.poolbench.router.metrics.RouterSnapshot;
import io.poolbench.router.pick.EndpointPicker;
import io.poolbench.router.pick.Endpoints;
import io.poolbench.router.pick.PickerKind;
import io.poolbench.router.pick.PickerSettings;

/**
 * Routes with the router-core classes themselves: the {@link PoolRouter} (token-budget estimator
 * and pool policy, spillover, context fallback, feedback) and one router-core
 * {@link EndpointPicker} per pool. Traces carry tokens, the router estimates from bytes, so each
 * prompt's bytes come from the router's {@link PromptBytesModel} (the papers' per-category
 * bytes-per-token ratios with seeded jitter).
 */
final class RouterCoreRouting implements Routing {
  private final PoolRouter router;
  private final PromptBytesModel bytes;
  private final RequestView view = new RequestView();
  private final Endpoints[] endpoints;
  private final EndpointPicker[] pickers;
  private final String description;

  RouterCoreRouting(Fleet fleet) {
    this.router = PoolRouter.create(fleet.routerSettings());
    this.bytes = new PromptBytesModel(java.util.Map.of("prose", 4.48, "code", 3.52, "cjk", 2.01),
        4.48, 0.05, fleet.seed());
    PickerKind kind = PickerKind.named(fleet.instancePicker());
    PickerSettings pickerSettings = PickerSettings.DEFAULTS.withSeed(fleet.seed());
    int n = fleet.pools().size();
    this.endpoints = new Endpoints[n];
    this.pickers = new EndpointPicker[n];
    for (int p = 0; p < n; p++) {
      endpoints[p] = Endpoints.anonymous(Math.max(1, fleet.pools().get(p).instances()));
      pickers[p] = kind.create(pickerSettings);
    }
    this.description = "router-core policy " + fleet.policy() + ", picker " + kind.pickerName()
        + ", prompt bytes " + bytes;
  }

  @Override
  public void route(SimRequest request, PoolPressure pressure) {
    view.fromTrace(request.trace, bytes.promptBytes(request.trace.promptTokens(),
        request.trace.category(), request.id));
    if (request.sentMaxTokens > 0) {
      view.maxTokens(request.sentMaxTokens);
    }
    RouteDecision decision = new RouteDecision();
    router.decide(view, pressure, decision);
    request.routerState = decision;
    request.pool = decision.pool();
    request.spilled = decision.spilled();
  }

  @Override
  public int pick(SimRequest request, Health health, long nowNanos) {
    int pool = request.pool;
    Endpoints e = endpoints[pool];
    RouteDecision d = (RouteDecision) request.routerState;
    int n = e.size();
    long[] prefix = request.trace.prefixHashes();
    // full 512-token blocks only, as the live router hashes only full blocks of text
    int blocks = prefix == null ? 0
        : Math.min(prefix.length, request.trace.promptTokens() / BlockHashes.MOONCAKE_TOKENS_PER_ID);
    int chosen = blocks > 0
        ? pickers[pool].pick(e, d.estimatedTotalTokens(), prefix, blocks, nowNanos)
        : pickers[pool].pick(e, d.estimatedTotalTokens(), nowNanos);
    for (int k = 0; k < n && health.isDown(pool, chosen); k++) {
      chosen = chosen + 1 == n ? 0 : chosen + 1;
    }
    if (health.isDown(pool, chosen)) {
      return -1;
    }
    e.acquire(chosen, d.estimatedTotalTokens());
    if (blocks > 0) {
      pickers[pool].dispatched(chosen, prefix, blocks);
    }
    request.acquiredInstance = chosen;
    return chosen;
  }

  @Override
  public boolean fallback(SimRequest request) {
    RouteDecision d = (RouteDecision) request.routerState;
    release(request, d);
    if (router.fallback(d)) {
      request.pool = d.pool();
      return true;
    }
    return false;
  }

  @Override
  public void feedback(SimRequest request, OutcomeKind outcome, int promptTokens,
      int completionTokens, long latencyNanos) {
    RouteDecision d = (RouteDecision) request.routerState;
    if (d == null || d.pool() < 0) {
      return;
    }
    release(request, d);
    Outcome o = switch (outcome) {
      case OK -> Outcome.OK;
      case REJECTED_CONTEXT -> Outcome.CONTEXT_LENGTH;
      case REJECTED_OVERLOAD -> Outcome.OVERLOAD;
      case TIMEOUT -> Outcome.TIMEOUT;
      case ENGINE_FAILURE, TRANSPORT_ERROR, CLIENT_ERROR, NOT_SENT -> Outcome.ENGINE_FAILURE;
    };
    router.feedback(d, o, promptTokens, completionTokens, latencyNanos);
  }

  private void release(SimRequest request, RouteDecision d) {
    if (request.acquiredInstance >= 0) {
      endpoints[request.pool].release(request.acquiredInstance, d.estimatedTotalTokens());
      request.acquiredInstance = -1;
    }
  }

  PoolRouter router() {
    return router;
  }

  @Override
  public void sampleEstimator(double timeS, RoutingLogWriter log) {
    for (CategoryStats c : router.estimator().snapshot()) {
      if (c.samples() > 0) {
        log.sample(timeS, c.name(), c.routingBytesPerToken(), c.meanBytesPerToken(), c.samples());
      }
    }
  }

  @Override
  public void finishLog(RoutingLogWriter log) {
    RouterSnapshot s = router.snapshot();
    log.promptError(s.promptErrorUpperBounds(), s.promptErrorCounts(), s.promptErrorSum());
  }

  @Override
  public String describe() {
    return description;
  }
}
