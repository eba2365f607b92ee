package io.poolbench.router.pick;

/** Load scores shared by the pickers: the router's counts plus fresh engine signals. */
final class LoadScores {

  /** Added to a saturated endpoint's score so it loses to any unsaturated one. */
  static final long SATURATED = 1L << 52;

  private LoadScores() {}

  /** Outstanding requests plus a fresh signal's waiting requests, plus the saturation penalty. */
  static long requests(Endpoints e, int i, long nowNanos, PickerSettings s) {
    long load = e.outstandingRequests(i);
    LoadSignal signal = e.freshSignal(i, nowNanos, s);
    if (signal != null) {
      load += signal.waiting();
      if (signal.kvUsage() >= s.kvSaturation()) {
        load += SATURATED;
      }
    }
    return load;
  }

  /** Outstanding tokens plus waiting requests × their token weight, plus the penalty. */
  static long tokens(Endpoints e, int i, long nowNanos, PickerSettings s) {
    long load = e.outstandingTokens(i);
    LoadSignal signal = e.freshSignal(i, nowNanos, s);
    if (signal != null) {
      load += signal.waiting() * s.waitingTokenWeight();
      if (signal.kvUsage() >= s.kvSaturation()) {
        load += SATURATED;
      }
    }
    return load;
  }

  /** True when a fresh signal says the endpoint's KV cache is saturated. */
  static boolean saturated(Endpoints e, int i, long nowNanos, PickerSettings s) {
    LoadSignal signal = e.freshSignal(i, nowNanos, s);
    return signal != null && signal.kvUsage() >= s.kvSaturation();
  }
}
