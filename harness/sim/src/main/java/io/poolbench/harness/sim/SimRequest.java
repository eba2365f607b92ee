package io.poolbench.harness.sim;

import io.poolbench.traces.TraceRequest;

/** The simulator's state of one arrival while it is in flight. */
final class SimRequest {
  final long id;
  final TraceRequest trace;
  /** max_tokens sent to the engine (declared, or the trace's output length). */
  final int sentMaxTokens;
  int pool = -1;
  int instance = -1;
  /** The instance the router counts this request on, or -1. */
  int acquiredInstance = -1;
  boolean spilled;
  /** The router's per-request state (its decision), kept for feedback. */
  Object routerState;
  /** The request inside its engine while in flight, else null. */
  io.poolbench.harness.engine.EngineRequest engineRequest;
  /** Index of its instance in the fleet while in flight. */
  int fleetInstance = -1;

  SimRequest(long id, TraceRequest trace, int sentMaxTokens) {
    this.id = id;
    this.trace = trace;
    this.sentMaxTokens = sentMaxTokens;
  }
}
