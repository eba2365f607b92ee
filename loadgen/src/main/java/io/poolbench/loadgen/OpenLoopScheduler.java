package io.poolbench.loadgen;

import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Sends requests on an open-loop plan: each trace row is due at its own arrival offset after the
 * start, whatever the responses do (no coordinated omission). One platform thread walks the plan,
 * parks until a row is due and spins for the last stretch, so that the send lag stays in
 * microseconds. With a concurrency cap, the wait for a free slot happens after the row is due and
 * is reported per row, so it counts in planned-time latencies.
 *
 * <p>Every row of the plan is handed to exactly one of {@link Sink#send} or
 * {@link Sink#notSent}, even when the run is stopped early.
 */
public final class OpenLoopScheduler {

  /**
   * Where the scheduler hands each row. Called on the scheduler thread; must not block.
   *
   * @param <T> the row type
   */
  public interface Sink<T> {
    /**
     * A row is sent now.
     *
     * @param index the row's position in the plan (0-based)
     * @param row the row
     * @param plannedNanos its due time ({@link System#nanoTime()} scale)
     * @param slotWaitNanos time spent waiting for a concurrency slot after it was due
     */
    void send(long index, T row, long plannedNanos, long slotWaitNanos);

    /** A row that was not sent because the run stopped first. */
    void notSent(long index, T row, long plannedNanos);
  }

  /** Processors below which the scheduler never spins. */
  static final int SPIN_MIN_PROCESSORS = 8;

  /** Below this much time to go, the scheduler spins instead of parking (0: never spins). */
  private final long spinNanos;
  private final Semaphore slots;
  private final AtomicBoolean stopped = new AtomicBoolean();

  /** @param maxConcurrency the most rows in flight at once, or 0 for no cap */
  public OpenLoopScheduler(int maxConcurrency) {
    this(maxConcurrency, defaultSpinNanos(Runtime.getRuntime().availableProcessors()));
  }

  /**
   * @param maxConcurrency the most rows in flight at once, or 0 for no cap
   * @param spinNanos how long before a row is due the scheduler stops parking and spins
   */
  public OpenLoopScheduler(int maxConcurrency, long spinNanos) {
    if (spinNanos < 0) {
      throw new IllegalArgumentException("spin (" + spinNanos + " ns) must be >= 0");
    }
    this.slots = maxConcurrency > 0 ? new Semaphore(maxConcurrency) : null;
    this.spinNanos = spinNanos;
  }

  /** 100 µs of spinning with {@value #SPIN_MIN_PROCESSORS} or more processors, none below. */
  static long defaultSpinNanos(int processors) {
    return processors >= SPIN_MIN_PROCESSORS ? 100_000 : 0;
  }

  /** Frees a slot when a row finishes (call once per sent row; a no-op without a cap). */
  public void release() {
    if (slots != null) {
      slots.release();
    }
  }

  /** Asks the run to stop: rows not yet sent go to {@link Sink#notSent}. */
  public void stop() {
    stopped.set(true);
  }

  public boolean isStopped() {
    return stopped.get();
  }

  /**
   * Walks the plan on the calling thread until every row is handed on.
   *
   * @param plan rows in arrival order; a row is taken from it (and so prepared) before waiting
   *     for its due time
   * @param offsetNanos each row's due time as an offset from the start
   * @param startNanos the {@link System#nanoTime()} at which offset 0 is due
   * @return the number of rows sent
   */
  public <T> long run(Iterator<T> plan, ToLongFunction<T> offsetNanos, long startNanos, Sink<T> sink) {
    long index = 0;
    long sent = 0;
    while (plan.hasNext()) {
      T request = plan.next();
      long due = startNanos + offsetNanos.applyAsLong(request);
      if (stopped.get() || !waitUntil(due)) {
        sink.notSent(index++, request, due);
        continue;
      }
      long slotWait = 0;
      if (slots != null && !slots.tryAcquire()) {
        long before = System.nanoTime();
        if (!acquireSlot()) {
          sink.notSent(index++, request, due);
          continue;
        }
        slotWait = System.nanoTime() - before;
      }
      sink.send(index++, request, due, slotWait);
      sent++;
    }
    return sent;
  }

  private boolean waitUntil(long due) {
    while (true) {
      if (stopped.get()) {
        return false;
      }
      long remaining = due - System.nanoTime();
      if (remaining <= 0) {
        return true;
      }
      if (remaining > spinNanos) {
        LockSupport.parkNanos(Math.min(remaining - spinNanos, 50_000_000L));
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private boolean acquireSlot() {
    while (!stopped.get()) {
      try {
        if (slots.tryAcquire(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped.set(true);
      }
    }
    return false;
  }
}
