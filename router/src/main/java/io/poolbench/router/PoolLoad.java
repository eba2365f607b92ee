package io.poolbench.router;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live per-pool counters for a router service: requests in flight and queued, divided by each
 * pool's {@link PoolSpec#capacity()} to give the {@link PoolPressure} spillover reads. Queued
 * counts the router's own waiting requests plus the requests the pool's engines report waiting
 * ({@code vllm:num_requests_waiting}, summed over fresh signals). Padded per pool; thread-safe and
 * allocation-free.
 */
public final class PoolLoad implements PoolPressure {

  private static final int STRIDE = 8;

  private final double[] capacity;
  private final AtomicLongArray inFlight;
  private final AtomicLongArray queued;
  private final AtomicLongArray engineWaiting;

  /** Counters for {@code router}'s pools, all zero. */
  public PoolLoad(PoolRouter router) {
    int n = router.pools().size();
    this.capacity = new double[n];
    for (int i = 0; i < n; i++) {
      capacity[i] = router.pools().get(i).capacity();
    }
    this.inFlight = new AtomicLongArray(n * STRIDE);
    this.queued = new AtomicLongArray(n * STRIDE);
    this.engineWaiting = new AtomicLongArray(n * STRIDE);
  }

  /** A request was sent to {@code pool} and is now in flight. */
  public void started(int pool) {
    inFlight.getAndIncrement(pool * STRIDE);
  }

  /** A request in flight at {@code pool} finished (any outcome). */
  public void finished(int pool) {
    inFlight.getAndDecrement(pool * STRIDE);
  }

  /** A request is waiting for {@code pool} (for example for a connection or an admission slot). */
  public void enqueued(int pool) {
    queued.getAndIncrement(pool * STRIDE);
  }

  /** A request stopped waiting for {@code pool} (it started or gave up). */
  public void dequeued(int pool) {
    queued.getAndDecrement(pool * STRIDE);
  }

  public long inFlight(int pool) {
    return inFlight.get(pool * STRIDE);
  }

  /**
   * Sets the requests {@code pool}'s engines report waiting (summed over its endpoints' fresh
   * load signals; 0 when none is fresh).
   */
  public void engineWaiting(int pool, long waiting) {
    engineWaiting.set(pool * STRIDE, waiting);
  }

  /** Requests {@code pool}'s engines last reported waiting. */
  public long engineWaiting(int pool) {
    return engineWaiting.get(pool * STRIDE);
  }

  /** The router's own waiting requests plus the engines' reported waiting requests. */
  public long queued(int pool) {
    return queued.get(pool * STRIDE) + engineWaiting.get(pool * STRIDE);
  }

  /** (in flight + queued) ÷ capacity. */
  @Override
  public double pressure(int pool) {
    return (inFlight.get(pool * STRIDE) + queued(pool)) / capacity[pool];
  }
}
