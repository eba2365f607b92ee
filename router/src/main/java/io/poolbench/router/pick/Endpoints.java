package io.poolbench.router.pick;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The engines of one pool and their load: outstanding requests and tokens the router itself
 * dispatched (updated with {@link #acquire} and {@link #release}), plus the latest scraped
 * {@link LoadSignal} of each. Each endpoint's two counters share one cache line, padded from the
 * next endpoint's, so threads updating different engines do not contend and a scan touches one
 * line per endpoint. Thread-safe; reads and counter updates do not allocate.
 */
public final class Endpoints {

  private static final int STRIDE = 8;

  private final List<String> names;
  private final int size;
  private final AtomicLongArray counters; // [endpoint * STRIDE] requests, [+ 1] tokens
  private final AtomicReferenceArray<LoadSignal> signals;

  /** Endpoints named {@code names} (for example {@code host:port}), all idle, no signals. */
  public Endpoints(List<String> names) {
    Objects.requireNonNull(names, "names");
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a pool needs at least one endpoint");
    }
    this.names = List.copyOf(names);
    this.size = names.size();
    this.counters = new AtomicLongArray(size * STRIDE);
    this.signals = new AtomicReferenceArray<>(size);
  }

  /** {@code n} endpoints named {@code e0}, {@code e1}, … */
  public static Endpoints anonymous(int n) {
    return new Endpoints(java.util.stream.IntStream.range(0, n).mapToObj(i -> "e" + i).toList());
  }

  public int size() {
    return size;
  }

  public String name(int endpoint) {
    return names.get(endpoint);
  }

  /** Counts a request of {@code requestTokens} (estimated total) dispatched to {@code endpoint}. */
  public void acquire(int endpoint, long requestTokens) {
    counters.getAndIncrement(endpoint * STRIDE);
    counters.getAndAdd(endpoint * STRIDE + 1, requestTokens);
  }

  /** Undoes {@link #acquire} when the request finishes, whatever its outcome. */
  public void release(int endpoint, long requestTokens) {
    counters.getAndDecrement(endpoint * STRIDE);
    counters.getAndAdd(endpoint * STRIDE + 1, -requestTokens);
  }

  /** Requests the router has in flight at {@code endpoint}. */
  public long outstandingRequests(int endpoint) {
    return counters.get(endpoint * STRIDE);
  }

  /** Estimated tokens the router has in flight at {@code endpoint}. */
  public long outstandingTokens(int endpoint) {
    return counters.get(endpoint * STRIDE + 1);
  }

  /** Stores the latest scrape of {@code endpoint}. */
  public void signal(int endpoint, LoadSignal signal) {
    signals.set(endpoint, signal);
  }

  /** The latest scrape of {@code endpoint}, or null. */
  public LoadSignal signal(int endpoint) {
    return signals.get(endpoint);
  }

  /** Age of {@code endpoint}'s signal at {@code nowNanos}, or -1 without one. */
  public long signalAgeNanos(int endpoint, long nowNanos) {
    LoadSignal s = signals.get(endpoint);
    return s == null ? -1 : s.ageNanos(nowNanos);
  }

  /**
   * How many endpoints have a signal older than {@code maxAgeNanos} at {@code nowNanos} (a
   * scraper falling behind shows here); O(n), for exporters, not for the pick path.
   */
  public int staleSignals(long nowNanos, long maxAgeNanos) {
    int stale = 0;
    for (int i = 0; i < size; i++) {
      LoadSignal s = signals.get(i);
      if (s != null && s.ageNanos(nowNanos) > maxAgeNanos) {
        stale++;
      }
    }
    return stale;
  }

  /** Endpoints without any signal yet. */
  public int missingSignals() {
    int missing = 0;
    for (int i = 0; i < size; i++) {
      if (signals.get(i) == null) {
        missing++;
      }
    }
    return missing;
  }

  /**
   * The signal of {@code endpoint} if signals are on and it is fresh; null otherwise (a stale
   * signal is ignored: the picker falls back to the router's own counts for that endpoint).
   */
  LoadSignal freshSignal(int endpoint, long nowNanos, PickerSettings settings) {
    if (!settings.useSignals()) {
      return null;
    }
    LoadSignal s = signals.get(endpoint);
    if (s == null) {
      return null;
    }
    return s.ageNanos(nowNanos) > settings.maxSignalAgeNanos() ? null : s;
  }
}
