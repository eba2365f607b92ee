package io.poolbench.harness.fleet;

import java.util.List;

/**
 * Injected engine faults and the restart delay (which also applies after CUDA OOM deaths).
 *
 * @param mtbfNanos mean time between faults per instance (exponential), or 0 for none
 * @param restartNanos how long a dead instance refuses connections before it serves again
 * @param at faults at fixed times
 */
public record FaultSetup(long mtbfNanos, long restartNanos, List<At> at) {

  /** No injected faults; dead engines (OOM) come back after 60 s. */
  public static final FaultSetup NONE = new FaultSetup(0, 60_000_000_000L, List.of());

  public FaultSetup {
    at = List.copyOf(at);
  }

  /**
   * One fault at a fixed time.
   *
   * @param atNanos virtual time of the fault
   * @param pool pool index
   * @param instance instance index within the pool
   */
  public record At(long atNanos, int pool, int instance) {}
}
