package io.poolbench.loadgen;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.ToLongFunction;

/**
 * Prepares the rows of a plan on a thread of its own, ahead of their send time, so that the
 * scheduler thread only waits and sends: reading the trace, synthesizing the prompt and building
 * the body happen here. The lookahead is bounded by a number of rows and by their bytes (at least
 * one row is always ready), so that memory stays small whatever the trace. A failure while
 * preparing (a bad trace row) is thrown to the consumer at the row where it happened.
 *
 * @param <T> the prepared row
 */
final class Lookahead<T> implements Iterator<T>, AutoCloseable {

  private final ArrayDeque<T> ready = new ArrayDeque<>();
  private final int maxRows;
  private final long maxBytes;
  private final ToLongFunction<T> bytes;
  private final Thread producer;
  private long readyBytes;
  private boolean done;
  private boolean closed;
  private Throwable failure;

  /**
   * Starts preparing {@code source} at once.
   *
   * @param source yields prepared rows (called on the producer thread only)
   * @param maxRows most rows prepared ahead
   * @param maxBytes most bytes prepared ahead (by {@code bytes})
   */
  Lookahead(Iterator<T> source, int maxRows, long maxBytes, ToLongFunction<T> bytes, String name) {
    if (maxRows < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("lookahead " + maxRows + " rows / " + maxBytes
          + " bytes must be >= 1");
    }
    this.maxRows = maxRows;
    this.maxBytes = maxBytes;
    this.bytes = bytes;
    this.producer = Thread.ofPlatform().name(name).daemon().unstarted(() -> produce(source));
    producer.start();
  }

  private void produce(Iterator<T> source) {
    try {
      while (source.hasNext()) {
        T row = source.next();
        long size = bytes.applyAsLong(row);
        synchronized (this) {
          while (!closed && !ready.isEmpty()
              && (ready.size() >= maxRows || readyBytes + size > maxBytes)) {
            wait();
          }
          if (closed) {
            return;
          }
          ready.addLast(row);
          readyBytes += size;
          notifyAll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(e);
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      synchronized (this) {
        done = true;
        notifyAll();
      }
    }
  }

  private synchronized void fail(Throwable t) {
    failure = t;
  }

  @Override
  public synchronized boolean hasNext() {
    while (ready.isEmpty() && !done) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next planned row", e);
      }
    }
    if (ready.isEmpty() && failure != null) {
      Throwable t = failure;
      failure = null;
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("preparing the plan failed", t);
    }
    return !ready.isEmpty();
  }

  @Override
  public synchronized T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T row = ready.removeFirst();
    readyBytes -= bytes.applyAsLong(row);
    notifyAll();
    return row;
  }

  /** True once the source is exhausted (every row is prepared, some may wait here). */
  synchronized boolean sourceDone() {
    return done;
  }

  /** Stops the producer (rows not taken are dropped). */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      producer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
