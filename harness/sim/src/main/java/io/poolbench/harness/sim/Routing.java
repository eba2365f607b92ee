package io.poolbench.harness.sim;

import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.router.PoolPressure;

/** The simulator's seam to the router: pool choice, instance choice, fallback and feedback. */
interface Routing {

  /** Tells whether an instance is down (the router's health check). */
  interface Health {
    boolean isDown(int pool, int instance);
  }

  /** Chooses the pool for {@code request}; sets {@code request.pool} and {@code spilled}. */
  void route(SimRequest request, PoolPressure pressure);

  /**
   * Chooses a live instance of {@code request.pool} and counts the request on it; -1 when every
   * instance is down.
   */
  int pick(SimRequest request, Health health, long nowNanos);

  /**
   * The chosen pool answered with a context-length 400: counts the misroute and moves the
   * request to the next larger pool; false when there is none.
   */
  boolean fallback(SimRequest request);

  /** Learns from the request's end and releases its count on the instance. */
  void feedback(SimRequest request, OutcomeKind outcome, int promptTokens, int completionTokens,
      long latencyNanos);

  /** A short description for run.json. */
  String describe();

  /**
   * Records the estimator's state per category at {@code timeS} into {@code log} (routing.json);
   * routings without an estimator record nothing.
   */
  default void sampleEstimator(double timeS, RoutingLogWriter log) {}

  /** Sets the estimate-error histogram of the whole run in {@code log}, if there is one. */
  default void finishLog(RoutingLogWriter log) {}
}
