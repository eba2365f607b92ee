package io.poolbench.router.server;

/**
 * Health of one upstream endpoint: passive failures (connect errors, 5xx, engine death) eject it
 * with a backoff that doubles per consecutive failure up to a maximum; a successful active
 * {@code /health} probe after the backoff brings it back (with probes off, the backoff's end
 * does). A known-dead endpoint is never offered to the picker. Thread-safe.
 */
public final class EndpointHealth {

  private final long baseNanos;
  private final long maxNanos;
  private final boolean probed;
  private volatile boolean ejected;
  private volatile long ejectedUntilNanos;
  private int consecutiveFailures;
  private long ejections;
  private volatile String lastFailure;

  EndpointHealth(long baseNanos, long maxNanos, boolean probed) {
    this.baseNanos = baseNanos;
    this.maxNanos = maxNanos;
    this.probed = probed;
  }

  /** True when requests may go to the endpoint at {@code nowNanos}. */
  public boolean available(long nowNanos) {
    return !ejected || (!probed && nowNanos - ejectedUntilNanos >= 0);
  }

  /** True while the endpoint is ejected. */
  public boolean ejected() {
    return ejected;
  }

  /** A passive or probe failure at {@code nowNanos}: ejects (again) with a longer backoff. */
  public synchronized void failure(long nowNanos, String why) {
    consecutiveFailures = Math.min(consecutiveFailures + 1, 30);
    long backoff = baseNanos << Math.min(consecutiveFailures - 1, 20);
    if (backoff <= 0 || backoff > maxNanos) {
      backoff = maxNanos;
    }
    if (!ejected) {
      ejections++;
    }
    ejectedUntilNanos = nowNanos + backoff;
    ejected = true;
    lastFailure = why;
  }

  /** A request completed normally: the failure streak ends. */
  public void success() {
    if (consecutiveFailures != 0 && !ejected) {
      synchronized (this) {
        consecutiveFailures = 0;
      }
    }
  }

  /** A probe answered 200 at {@code nowNanos}: readmits the endpoint once its backoff ended. */
  public synchronized void probeOk(long nowNanos) {
    if (ejected && nowNanos - ejectedUntilNanos >= 0) {
      ejected = false;
    }
    if (!ejected) {
      consecutiveFailures = 0;
    }
  }

  /** How many times the endpoint was ejected. */
  public synchronized long ejections() {
    return ejections;
  }

  /** Nanoseconds of backoff left at {@code nowNanos} (0 when not ejected or over). */
  public long backoffLeftNanos(long nowNanos) {
    return ejected ? Math.max(0, ejectedUntilNanos - nowNanos) : 0;
  }

  /** The reason of the last failure, or null. */
  public String lastFailure() {
    return lastFailure;
  }
}
