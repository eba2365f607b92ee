package io.poolbench.router;

/**
 * Live load of each pool: pressure = (requests in flight + requests queued) ÷ pool capacity, so
 * 0 is idle and 1 means every slot is taken. The simulator answers from its virtual state, the
 * router service from its counters; spillover
 * compares it with a threshold.
 */
@FunctionalInterface
public interface PoolPressure {

  /** A fleet with no load information: every pool reads as idle, so nothing spills. */
  PoolPressure IDLE = pool -> 0.0;

  /** The pressure of pool {@code pool} (an index into the router's pool list), ≥ 0. */
  double pressure(int pool);
}
