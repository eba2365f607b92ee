package io.poolbench.router.pick;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code power-of-two}: draws two distinct endpoints at random and takes the one with fewer
 * outstanding requests (ties: fewer tokens), O(1) however large the pool (Mitzenmacher's power of
 * two choices). Draws come from a seeded SplitMix64 sequence shared by all threads.
 */
public final class PowerOfTwoPicker implements EndpointPicker {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final PickerSettings settings;
  private final AtomicLong state;

  public PowerOfTwoPicker(PickerSettings settings) {
    this.settings = settings;
    this.state = new AtomicLong(settings.seed());
  }

  @Override
  public String name() {
    return PickerKind.POWER_OF_TWO.pickerName();
  }

  @Override
  public int pick(Endpoints endpoints, long requestTokens, long nowNanos) {
    int n = endpoints.size();
    if (n == 1) {
      return 0;
    }
    long r = mix(state.addAndGet(GOLDEN_GAMMA));
    int a = (int) Long.remainderUnsigned(r, n);
    int b = (int) Long.remainderUnsigned(r >>> 32, n - 1);
    if (b >= a) {
      b++; // distinct from a, still uniform
    }
    long loadA = LoadScores.requests(endpoints, a, nowNanos, settings);
    long loadB = LoadScores.requests(endpoints, b, nowNanos, settings);
    if (loadA != loadB) {
      return loadA < loadB ? a : b;
    }
    return LoadScores.tokens(endpoints, b, nowNanos, settings)
        < LoadScores.tokens(endpoints, a, nowNanos, settings) ? b : a;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
