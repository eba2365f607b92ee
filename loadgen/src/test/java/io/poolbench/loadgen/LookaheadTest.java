package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LookaheadTest {

  @Test
  void yieldsEveryRowInOrder() {
    List<Integer> out = new ArrayList<>();
    try (Lookahead<Integer> ahead = new Lookahead<>(IntStream.range(0, 10_000).iterator(), 16, 1 << 20,
        i -> 8, "test")) {
      ahead.forEachRemaining(out::add);
    }
    assertThat(out).hasSize(10_000);
    assertThat(out).isSorted();
  }

  @Test
  void preparesNoMoreThanTheBoundAhead() throws Exception {
    AtomicInteger produced = new AtomicInteger();
    Iterator<Integer> source = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        return produced.incrementAndGet();
      }
    };
    // 5 rows by count, or 3 rows of 100 bytes by bytes: the byte bound holds first
    try (Lookahead<Integer> ahead = new Lookahead<>(source, 5, 300, i -> 100, "test")) {
      assertThat(ahead.next()).isEqualTo(1);
      Thread.sleep(200);
      // 3 ready, one more taken from the source and waiting for room
      assertThat(produced.get()).isEqualTo(5);
    }
  }

  @Test
  void oneRowLargerThanTheByteBound_stillGoesThrough() {
    try (Lookahead<Integer> ahead = new Lookahead<>(List.of(1, 2).iterator(), 5, 10, i -> 1_000,
        "test")) {
      assertThat(ahead.next()).isEqualTo(1);
      assertThat(ahead.next()).isEqualTo(2);
      assertThat(ahead.hasNext()).isFalse();
    }
  }

  @Test
  void aFailureWhilePreparing_isThrownAtItsRow() {
    Iterator<Integer> source = new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        if (i == 3) {
          throw new IllegalArgumentException("bad row 3");
        }
        return i++;
      }
    };
    try (Lookahead<Integer> ahead = new Lookahead<>(source, 100, 1 << 20, i -> 1, "test")) {
      assertThat(ahead.next()).isZero();
      assertThat(ahead.next()).isEqualTo(1);
      assertThat(ahead.next()).isEqualTo(2);
      assertThatThrownBy(ahead::hasNext).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bad row 3");
    }
  }
}
