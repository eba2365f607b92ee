package io.poolbench.harness.sim;

import java.util.Arrays;

/**
 * A binary min-heap of simulator events on two primitive arrays (no allocation per event).
 * Events are ordered by (time, target, type), a total order, so the pop order does not depend
 * on the heap's internals and runs stay deterministic.
 */
final class EventQueue {
  static final byte STEP = 0;
  static final byte RESTART = 1;
  static final byte FAULT = 2;

  private long[] times = new long[64];
  private int[] metas = new int[64];
  private int size;

  /** Fields of the event {@link #pop()} removed last. */
  long time;
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

  void add(long at, byte kind, int to) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      metas = Arrays.copyOf(metas, size * 2);
    }
    int meta = (to << 2) | kind;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long pt = times[parent];
      if (pt < at || (pt == at && metas[parent] <= meta)) {
        break;
      }
      times[i] = pt;
      metas[i] = metas[parent];
      i = parent;
    }
    times[i] = at;
    metas[i] = meta;
  }

  void pop() {
    time = times[0];
    int m = metas[0];
    target = m >>> 2;
    type = (byte) (m & 3);
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = times[last];
    int mt = metas[last];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      long ct = times[child];
      int cm = metas[child];
      int right = child + 1;
      if (right < last) {
        long rt = times[right];
        int rm = metas[right];
        if (rt < ct || (rt == ct && rm < cm)) {
          child = right;
          ct = rt;
          cm = rm;
        }
      }
      if (t < ct || (t == ct && mt <= cm)) {
        break;
      }
      times[i] = ct;
      metas[i] = cm;
      i = child;
    }
    times[i] = t;
    metas[i] = mt;
  }
}
