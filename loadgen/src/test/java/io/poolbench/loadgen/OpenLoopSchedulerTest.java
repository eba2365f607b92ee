package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.traces.TraceRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OpenLoopSchedulerTest {

  private static Iterator<TraceRequest> plan(int rows, long gapNanos) {
    return LongStream.range(0, rows).mapToObj(i -> TraceRequest.of(i * gapNanos, 10, 5)).iterator();
  }

  /** Records what the scheduler hands on. */
  private static final class Recorder implements OpenLoopScheduler.Sink<TraceRequest> {
    final List<Long> sentIndexes = new ArrayList<>();
    final List<Long> notSentIndexes = new ArrayList<>();
    final List<Long> lagNanos = new ArrayList<>();
    final List<Long> slotWaits = new ArrayList<>();

    @Override
    public void send(long index, TraceRequest request, long plannedNanos, long slotWaitNanos) {
      lagNanos.add(System.nanoTime() - plannedNanos);
      sentIndexes.add(index);
      slotWaits.add(slotWaitNanos);
    }

    @Override
    public void notSent(long index, TraceRequest request, long plannedNanos) {
      notSentIndexes.add(index);
    }
  }

  @Test
  void everyRowIsSentInOrder_neverBeforeItIsDue() {
    Recorder r = new Recorder();
    long sent = new OpenLoopScheduler(0).run(plan(300, 1_000_000), TraceRequest::arrivalNanos, System.nanoTime(), r);
    assertThat(sent).isEqualTo(300);
    assertThat(r.sentIndexes).isEqualTo(LongStream.range(0, 300).boxed().toList());
    assertThat(r.lagNanos).allMatch(lag -> lag >= 0);
    assertThat(r.notSentIndexes).isEmpty();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(longs = {0, 100_000, 2_000_000})
  void withOrWithoutSpinning_noRowIsSentEarly(long spinNanos) {
    Recorder r = new Recorder();
    long sent = new OpenLoopScheduler(0, spinNanos)
        .run(plan(100, 500_000), TraceRequest::arrivalNanos, System.nanoTime(), r);
    assertThat(sent).isEqualTo(100);
    assertThat(r.lagNanos).allMatch(lag -> lag >= 0);
  }

  @Test
  void spin_isAFiftiethOfTheGap_boundedByTheMaximum() {
    OpenLoopScheduler s = new OpenLoopScheduler(0, 1_000_000);
    assertThat(s.spinFor(100_000_000)).isEqualTo(1_000_000); // 10 req/s: capped at 1 ms
    assertThat(s.spinFor(500_000)).isEqualTo(10_000); // 2,000 req/s: 10 µs
    assertThat(s.spinFor(0)).isZero();
    assertThat(new OpenLoopScheduler(0, 0).spinFor(100_000_000)).isZero();
    assertThat(OpenLoopScheduler.defaultMaxSpinNanos(null)).isEqualTo(1_000_000);
    assertThat(OpenLoopScheduler.defaultMaxSpinNanos("250")).isEqualTo(250_000);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenLoopScheduler.defaultMaxSpinNanos("-1"))
        .hasMessageContaining("poolbench.loadgen.maxSpinMicros=-1");
  }

  @Test
  void stop_turnsTheRestIntoNotSent_andEveryRowHasOneOutcome() {
    OpenLoopScheduler scheduler = new OpenLoopScheduler(0);
    Recorder r = new Recorder();
    AtomicLong calls = new AtomicLong();
    OpenLoopScheduler.Sink<TraceRequest> stopAfter50 = new OpenLoopScheduler.Sink<>() {
      @Override
      public void send(long index, TraceRequest request, long plannedNanos, long slotWaitNanos) {
        r.send(index, request, plannedNanos, slotWaitNanos);
        if (calls.incrementAndGet() == 50) {
          scheduler.stop();
        }
      }

      @Override
      public void notSent(long index, TraceRequest request, long plannedNanos) {
        r.notSent(index, request, plannedNanos);
      }
    };
    scheduler.run(plan(200, 100_000), TraceRequest::arrivalNanos, System.nanoTime(), stopAfter50);
    assertThat(r.sentIndexes).hasSize(50);
    assertThat(r.notSentIndexes).hasSize(150).startsWith(50L).endsWith(199L);
  }

  @Test
  void concurrencyCap_makesLaterRowsWaitForASlot_andReportsTheWait() throws Exception {
    OpenLoopScheduler scheduler = new OpenLoopScheduler(1);
    Recorder r = new Recorder();
    // Nobody releases the first slot for 100 ms: the second row, due at once, must wait for it.
    Thread releaser = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      scheduler.release();
    });
    scheduler.run(plan(2, 0), TraceRequest::arrivalNanos, System.nanoTime(), r);
    releaser.join();
    assertThat(r.sentIndexes).containsExactly(0L, 1L);
    assertThat(r.slotWaits.get(0)).isZero();
    assertThat(r.slotWaits.get(1)).isGreaterThan(50_000_000L);
  }
}
