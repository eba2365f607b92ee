package io.poolbench.harness.sim;

import io.poolbench.reports.rundir.OutcomeKind;

/** The simulator's seam to the router: pool choice, context fallback and feedback. */
interface Routing {

  /** Live load of the pools, as pressure = in flight ÷ capacity. */
  interface Load {
    double pressure(int pool);
  }

  /** Chooses the pool for {@code request}; sets {@code request.pool} and {@code spilled}. */
  void route(SimRequest request, Load load);

  /**
   * The chosen pool answered with a context-length 400: counts the misroute and moves the
   * request to the next larger pool; false when there is none.
   */
  boolean fallback(SimRequest request);

  /** Learns from the request's end. */
  void feedback(SimRequest request, OutcomeKind outcome, int promptTokens, int completionTokens,
      long latencyNanos);

  /** A short description for run.json. */
  String describe();
}
