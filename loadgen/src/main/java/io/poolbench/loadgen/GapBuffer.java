package io.poolbench.loadgen;

import java.util.Arrays;
import java.util.function.LongConsumer;

/** Collects one response's inter-chunk gaps on its I/O thread (bounded by its output length). */
final class GapBuffer implements LongConsumer {
  private long[] gaps;
  private int count;

  GapBuffer() {
    gaps = new long[16]; // grows by doubling: thousands of open streams must stay cheap
  }

  @Override
  public void accept(long gapNanos) {
    if (count == gaps.length) {
      gaps = Arrays.copyOf(gaps, gaps.length * 2);
    }
    gaps[count++] = gapNanos;
  }

  long[] gaps() {
    return gaps;
  }

  int count() {
    return count;
  }
}
