package io.poolbench.router.pick;

import io.poolbench.traces.BadInputException;

/**
 * How pickers use engine load signals (defaults in {@link #DEFAULTS}).
 *
 * @param useSignals whether scraped signals count at all (false: only the router's own counts)
 * @param maxSignalAgeNanos a signal older than this is stale and ignored (and counted as such);
 *     2 s by default, a few Prometheus scrape intervals
 * @param waitingTokenWeight tokens each waiting request adds to a token load (1024)
 * @param kvSaturation KV usage at or above which an endpoint is avoided while others are not
 *     (0.95)
 * @param seed seed of {@code power-of-two}'s candidate draws
 */
public record PickerSettings(
    boolean useSignals,
    long maxSignalAgeNanos,
    long waitingTokenWeight,
    double kvSaturation,
    long seed) {

  /** Signals on, 2 s max age, 1024 tokens per waiting request, KV saturation 0.95, seed 1. */
  public static final PickerSettings DEFAULTS =
      new PickerSettings(true, 2_000_000_000L, 1024, 0.95, 1);

  public PickerSettings {
    if (maxSignalAgeNanos <= 0) {
      throw new BadInputException(
          "picker max-signal-age (" + maxSignalAgeNanos + " ns) must be > 0");
    }
    if (waitingTokenWeight < 0) {
      throw new BadInputException(
          "picker waiting-token-weight (" + waitingTokenWeight + ") must be >= 0");
    }
    if (!(kvSaturation > 0 && kvSaturation <= 1)) {
      throw new BadInputException(
          "picker kv-saturation (" + kvSaturation + ") must be in (0, 1]");
    }
  }

  public PickerSettings withUseSignals(boolean value) {
    return new PickerSettings(value, maxSignalAgeNanos, waitingTokenWeight, kvSaturation, seed);
  }

  public PickerSettings withMaxSignalAgeNanos(long value) {
    return new PickerSettings(useSignals, value, waitingTokenWeight, kvSaturation, seed);
  }

  public PickerSettings withSeed(long value) {
    return new PickerSettings(useSignals, maxSignalAgeNanos, waitingTokenWeight, kvSaturation,
        value);
  }
}
