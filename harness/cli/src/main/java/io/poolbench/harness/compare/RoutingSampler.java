package io.poolbench.harness.compare;

import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.router.PoolRouter;
import io.poolbench.router.estimate.CategoryStats;
import io.poolbench.router.metrics.RouterSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples an in-process router's token-budget estimator every interval during a live replay and
 * writes routing.json, the file a simulated run gets from the simulator: the routing ratio per
 * category over time and the prompt-token estimate errors of the measured window (the router's
 * error histogram at the end minus the one at the start, so the warm-up is left out).
 */
final class RoutingSampler {
  private record Sample(long nanos, List<CategoryStats> categories) {}

  private final PoolRouter router;
  private final long intervalNanos;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  private RoutingSampler(PoolRouter router, Duration interval) {
    this.router = router;
    this.intervalNanos = interval.toNanos();
    this.thread = Thread.ofPlatform().daemon().name("poolbench-routing-sampler")
        .unstarted(this::loop);
  }

  /** Starts sampling {@code router} every {@code interval}. */
  static RoutingSampler start(PoolRouter router, Duration interval) {
    RoutingSampler s = new RoutingSampler(router, interval);
    s.thread.start();
    return s;
  }

  private void loop() {
    long next = System.nanoTime();
    while (!stopped) {
      take();
      next += intervalNanos;
      long wait;
      while (!stopped && (wait = next - System.nanoTime()) > 0) {
        LockSupport.parkNanos(this, wait);
      }
    }
  }

  private void take() {
    Sample s = new Sample(System.nanoTime(), router.estimator().snapshot());
    synchronized (samples) {
      samples.add(s);
    }
  }

  /** Stops sampling, after one last sample of the end state. */
  void stop() throws InterruptedException {
    stopped = true;
    LockSupport.unpark(thread);
    thread.join();
    take();
  }

  /**
   * Writes routing.json into {@code dir}: samples at or after {@code startNanos} (the run's time
   * zero), with times in seconds from it, and the estimate errors between {@code before} and
   * {@code after}.
   */
  void write(RunDirectory dir, long startNanos, RouterSnapshot before, RouterSnapshot after) {
    RoutingLogWriter log = new RoutingLogWriter();
    List<Sample> copy;
    synchronized (samples) {
      copy = List.copyOf(samples);
    }
    for (Sample s : copy) {
      double t = (s.nanos() - startNanos) / 1e9;
      if (t < 0) {
        continue;
      }
      for (CategoryStats c : s.categories()) {
        if (c.samples() > 0) {
          log.sample(t, c.name(), c.routingBytesPerToken(), c.meanBytesPerToken(), c.samples());
        }
      }
    }
    long[] counts = after.promptErrorCounts().clone();
    long[] start = before.promptErrorCounts();
    for (int i = 0; i < counts.length && i < start.length; i++) {
      counts[i] -= start[i];
    }
    log.promptError(after.promptErrorUpperBounds(), counts,
        after.promptErrorSum() - before.promptErrorSum());
    log.write(dir);
  }
}
