package io.poolbench.loadgen;

import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Sends requests on an open-loop plan: each trace row is due at its own arrival offset after the
 * start, whatever the responses do (no coordinated omission). One platform thread walks the plan,
 * parks until shortly before a row is due and spins for the last stretch, so that a late wake-up
 * (a parked thread wakes 50-60 µs late on an idle Linux machine, milliseconds late on a busy one)
 * does not make the send late. The spin is a fiftieth of the gap since the previous row, at most
 * {@link #DEFAULT_MAX_SPIN_NANOS}: 2% of a core whatever the rate, a millisecond of margin at
 * 50 req/s and below, 10 µs at 2,000 req/s. With a concurrency cap, the wait for a free slot happens after the row is due and
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

  /** The longest spin before a row, by default. */
  static final long DEFAULT_MAX_SPIN_NANOS = 1_000_000;

  /** The spin before a row is the gap since the previous row divided by this. */
  static final long SPIN_GAP_DIVISOR = 50;

  /** The system property that sets the longest spin in µs (0: never spins). */
  static final String MAX_SPIN_PROPERTY = "poolbench.loadgen.maxSpinMicros";

  /** The longest spin before a row (0: never spins). */
  private final long maxSpinNanos;
  private final Semaphore slots;
  private final AtomicBoolean stopped = new AtomicBoolean();

  /** @param maxConcurrency the most rows in flight at once, or 0 for no cap */
  public OpenLoopScheduler(int maxConcurrency) {
    this(maxConcurrency, defaultMaxSpinNanos(System.getProperty(MAX_SPIN_PROPERTY)));
  }

  /**
   * @param maxConcurrency the most rows in flight at once, or 0 for no cap
   * @param maxSpinNanos the longest the scheduler spins before a row instead of parking
   */
  public OpenLoopScheduler(int maxConcurrency, long maxSpinNanos) {
    if (maxSpinNanos < 0) {
      throw new IllegalArgumentException("spin (" + maxSpinNanos + " ns) must be >= 0");
    }
    this.slots = maxConcurrency > 0 ? new Semaphore(maxConcurrency) : null;
    this.maxSpinNanos = maxSpinNanos;
  }

  /** {@value #DEFAULT_MAX_SPIN_NANOS} ns, or the property's µs when it is set. */
  static long defaultMaxSpinNanos(String property) {
    return TuningProperty.wholeNumber(MAX_SPIN_PROPERTY, property, 0, Long.MAX_VALUE / 1_000,
        DEFAULT_MAX_SPIN_NANOS / 1_000, "microseconds") * 1_000;
  }


  /** The spin before a row due {@code gapNanos} after the previous one. */
  long spinFor(long gapNanos) {
    return Math.min(maxSpinNanos, Math.max(0, gapNanos) / SPIN_GAP_DIVISOR);
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
    long previousDue = startNanos;
    while (plan.hasNext()) {
      T request = plan.next();
      long due = startNanos + offsetNanos.applyAsLong(request);
      long spin = spinFor(due - previousDue);
      previousDue = due;
      if (stopped.get() || !waitUntil(due, spin)) {
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

  private boolean waitUntil(long due, long spinNanos) {
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
