package io.poolbench.harness.sim;

import java.util.Arrays;

/**
 * A binary min-heap of simulator events on primitive arrays (no allocation per event). Events
 * with equal times come out in insertion order, which keeps runs deterministic.
 */
final class EventQueue {
  static final byte STEP = 0;
  static final byte RESTART = 1;
  static final byte FAULT = 2;

  private long[] times = new long[64];
  private long[] seqs = new long[64];
  private long[] stamps = new long[64];
  private int[] targets = new int[64];
  private byte[] types = new byte[64];
  private int size;
  private long nextSeq;

  /** Fields of the event {@link #pop()} removed last. */
  long time;
  long stamp;
  int target;
  byte type;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  long peekTime() {
    return times[0];
  }

  void add(long at, byte kind, int to, long withStamp) {
    if (size == times.length) {
      int n = size * 2;
      times = Arrays.copyOf(times, n);
      seqs = Arrays.copyOf(seqs, n);
      stamps = Arrays.copyOf(stamps, n);
      targets = Arrays.copyOf(targets, n);
      types = Arrays.copyOf(types, n);
    }
    int i = size++;
    long seq = nextSeq++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(at, seq, times[parent], seqs[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, at, seq, withStamp, to, kind);
  }

  void pop() {
    time = times[0];
    stamp = stamps[0];
    target = targets[0];
    type = types[0];
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = times[last];
    long s = seqs[last];
    long st = stamps[last];
    int tg = targets[last];
    byte ty = types[last];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      if (child + 1 < last && less(times[child + 1], seqs[child + 1], times[child], seqs[child])) {
        child++;
      }
      if (!less(times[child], seqs[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    set(i, t, s, st, tg, ty);
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    times[to] = times[from];
    seqs[to] = seqs[from];
    stamps[to] = stamps[from];
    targets[to] = targets[from];
    types[to] = types[from];
  }

  private void set(int i, long t, long s, long st, int tg, byte ty) {
    times[i] = t;
    seqs[i] = s;
    stamps[i] = st;
    targets[i] = tg;
    types[i] = ty;
  }
}
