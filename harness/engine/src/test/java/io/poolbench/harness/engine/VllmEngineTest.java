package io.poolbench.harness.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.harness.perf.PerfModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VllmEngineTest {
  private static final long W = 8_000_000L;
  private static final long H = 650_000L;

  private final VirtualClock clock = new VirtualClock();
  private final RecordingListener listener = new RecordingListener();

  private VllmEngine engine(EngineConfig config, PerfModel perf) {
    return new VllmEngine(config, perf, clock, listener);
  }

  /** Runs steps back to back until idle, checking the KV accounting after every step. */
  private static void drain(VllmEngine engine, VirtualClock clock) {
    for (long d = engine.beginStep(); d > 0; d = engine.beginStep()) {
      engine.checkInvariants(); // may cut a decode run short: finish at the step end now planned
      clock.advanceTo(engine.stepEndNanos());
      engine.finishStep();
      engine.checkInvariants();
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void constantLengths_throughputMatchesHandComputation(boolean fastForward) {
    int seqs = 4;
    int prompt = 100;
    int output = 10;
    int requests = 400;
    VllmEngine engine =
        engine(EngineConfig.of(2048, seqs, 1024, 10_000), new AffinePerfModel(W, H, 8192));
    engine.setFastForward(fastForward);
    for (int i = 0; i < requests; i++) {
      assertThat(engine.submit(new EngineRequest(i, prompt, output, 0, 0))).isNull();
    }
    drain(engine, clock);
    // Each batch of 4: step k (1..10) has context sum 4 x (prompt + k - 1).
    double batchNanos = 0;
    for (int k = 1; k <= output; k++) {
      batchNanos += W + (double) H * seqs * (prompt + k - 1) / 8192;
    }
    double expected = requests / seqs * batchNanos;
    assertThat((double) clock.nowNanos()).isCloseTo(expected, org.assertj.core.data.Percentage
        .withPercentage(1));
    assertThat(listener.outcomes).hasSize(requests)
        .allSatisfy((id, o) -> assertThat(o).isEqualTo(new Outcome.Completed(output)));
    assertThat(engine.generatedTokens()).isEqualTo((long) requests * output);
  }

  @Test
  void longPrompt_isChunkedToTheTokenBudget() {
    VllmEngine engine = engine(EngineConfig.of(8192, 8, 512, 1024), new AffinePerfModel(W, 0,
        8192));
    engine.submit(new EngineRequest(1, 2000, 3, 0, 0));
    drain(engine, clock);
    // ceil(2000 / 512) = 4 prefill steps (the 4th samples token 1), then 2 decode steps.
    assertThat(engine.steps()).isEqualTo(6);
    assertThat(listener.outcomes.get(1L)).isEqualTo(new Outcome.Completed(3));
  }

  @ParameterizedTest
  @CsvSource({
    "8192, 0, 'This model''s maximum context length is 8192 tokens. However, your request has 8192 input tokens. Please reduce the length of the input messages.'",
    "8000, 500, '''max_tokens'' or ''max_completion_tokens'' is too large: 500. This model''s maximum context length is 8192 tokens and your request has 8000 input tokens (500 > 8192 - 8000).'"
  })
  void tooLongRequest_isRejectedWithVllmText(int prompt, int maxTokens, String message) {
    VllmEngine engine = engine(EngineConfig.of(8192, 8, 512, 1024), new AffinePerfModel(W, H,
        8192));
    Outcome o = engine.submit(new EngineRequest(1, prompt, 10, maxTokens, 0));
    assertThat(o).isEqualTo(new Outcome.ContextRejected(message));
    assertThat(o.httpStatus()).isEqualTo(400);
    assertThat(engine.inFlight()).isZero();
  }

  @Test
  void noMaxTokens_outputIsCutAtMaxModelLen() {
    VllmEngine engine = engine(EngineConfig.of(1000, 8, 512, 1024), new AffinePerfModel(W, H,
        8192));
    assertThat(engine.submit(new EngineRequest(1, 990, 500, 0, 0))).isNull();
    drain(engine, clock);
    assertThat(listener.outcomes.get(1L)).isEqualTo(new Outcome.Completed(10));
  }

  @Test
  void queueCap_answers503() {
    VllmEngine engine = engine(EngineConfig.of(1000, 8, 512, 1024).withMaxQueuedRequests(2),
        new AffinePerfModel(W, H, 8192));
    assertThat(engine.submit(new EngineRequest(1, 10, 5, 0, 0))).isNull();
    assertThat(engine.submit(new EngineRequest(2, 10, 5, 0, 0))).isNull();
    Outcome third = engine.submit(new EngineRequest(3, 10, 5, 0, 0));
    assertThat(third).isInstanceOf(Outcome.QueueFull.class);
    assertThat(third.httpStatus()).isEqualTo(503);
  }

  @Test
  void kvPressure_preemptsTheMostRecentlyAdmitted() {
    // 8 blocks of 16 = 128 tokens; two requests of 40 prompt + 40 output need 5 blocks each.
    VllmEngine engine = engine(EngineConfig.of(128, 4, 512, 8), new AffinePerfModel(W, H, 8192));
    List<Long> preempted = new ArrayList<>();
    EngineListener spy = new EngineListener() {
      @Override
      public void firstToken(EngineRequest r, long nanos) {}

      @Override
      public void tokens(int count, long itl) {}

      @Override
      public void preempted(EngineRequest r, long nanos) {
        preempted.add(r.id());
      }

      @Override
      public void finished(EngineRequest r, Outcome o, long nanos) {
        listener.finished(r, o, nanos);
      }

      @Override
      public void engineDied(String cause, long nanos) {}
    };
    VllmEngine spied = new VllmEngine(engine.config(), engine.perf(), clock, spy);
    spied.submit(new EngineRequest(1, 40, 40, 0, 0));
    spied.submit(new EngineRequest(2, 40, 40, 0, 0));
    drain(spied, clock);
    assertThat(preempted).isNotEmpty().containsOnly(2L);
    assertThat(listener.outcomes).containsOnlyKeys(1L, 2L)
        .allSatisfy((id, o) -> assertThat(o).isEqualTo(new Outcome.Completed(40)));
  }

  @Test
  void tinyKvCache_underPressure_stillCompletesEverything() {
    // Capacity is exactly one max-length request; 50 requests all compete for it.
    VllmEngine engine = engine(EngineConfig.of(256, 16, 64, 16), new AffinePerfModel(W, H, 8192));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 50; i++) {
      int prompt = 1 + random.nextInt(200);
      int output = 1 + random.nextInt(256 - prompt);
      assertThat(engine.submit(new EngineRequest(i, prompt, output, 0, 0))).isNull();
    }
    drain(engine, clock);
    assertThat(listener.outcomes).hasSize(50)
        .allSatisfy((id, o) -> assertThat(o).isInstanceOf(Outcome.Completed.class));
    assertThat(engine.preemptions()).isPositive();
    assertThat(engine.freeBlocks()).isEqualTo(16);
  }

  @Test
  void randomWorkloadWithAbortsAndFaults_everyRequestEndsOnceAndBlocksBalance() {
    SplittableRandom random = new SplittableRandom(42);
    VllmEngine engine = engine(EngineConfig.of(2048, 32, 512, 300), new AffinePerfModel(W, H,
        8192));
    List<EngineRequest> live = new ArrayList<>();
    int submitted = 0;
    int rejected = 0;
    for (int round = 0; round < 3000; round++) {
      int action = random.nextInt(10);
      if (action < 4) {
        EngineRequest r = new EngineRequest(submitted++, random.nextInt(2100),
            random.nextInt(300), random.nextBoolean() ? 0 : 1 + random.nextInt(400), 0);
        if (engine.submit(r) == null) {
          live.add(r);
        } else {
          rejected++;
        }
      } else if (action == 4 && !live.isEmpty()) {
        engine.abort(live.get(random.nextInt(live.size())));
      } else if (action == 5 && random.nextInt(100) == 0) {
        engine.kill("injected fault");
        engine.restart();
      } else {
        long d = engine.beginStep();
        engine.checkInvariants();
        if (d > 0) {
          clock.advanceTo(clock.nowNanos() + d);
          engine.finishStep();
        }
      }
      engine.checkInvariants();
      assertThat(engine.freeBlocks()).isBetween(0, 300);
    }
    drain(engine, clock);
    assertThat(listener.outcomes).hasSize(submitted - rejected);
    assertThat(engine.freeBlocks()).isEqualTo(300);
  }

  @Test
  void kill_failsInFlightWithEngineDeadAndRefusesUntilRestart() {
    VllmEngine engine = engine(EngineConfig.of(1000, 8, 512, 1024), new AffinePerfModel(W, H,
        8192));
    engine.submit(new EngineRequest(1, 10, 50, 0, 0));
    engine.submit(new EngineRequest(2, 10, 50, 0, 0));
    long d = engine.beginStep();
    clock.advanceTo(d);
    engine.finishStep();
    engine.kill("injected fault");
    assertThat(listener.outcomes.values()).hasSize(2)
        .allSatisfy(o -> assertThat(o.httpStatus()).isEqualTo(500));
    assertThat(engine.submit(new EngineRequest(3, 10, 5, 0, 0)))
        .isInstanceOf(Outcome.Unavailable.class);
    engine.restart();
    assertThat(engine.submit(new EngineRequest(4, 10, 5, 0, 0))).isNull();
    assertThat(engine.freeBlocks()).isEqualTo(1024);
  }

  @Test
  void memoryOverflow_killsTheEngineWithCudaOom() {
    MemoryLimit limit = new MemoryLimit(100 * 1000L, 1000L, 0);
    VllmEngine engine = engine(EngineConfig.of(1000, 8, 512, 1024).withMemory(limit),
        new AffinePerfModel(W, H, 8192));
    for (int i = 0; i < 4; i++) {
      engine.submit(new EngineRequest(i, 500, 5, 0, 0));
    }
    drain(engine, clock);
    assertThat(listener.deaths).isEqualTo(1);
    assertThat(listener.outcomes.values()).allSatisfy(o -> assertThat(o)
        .isInstanceOfSatisfying(Outcome.EngineDead.class,
            dead -> assertThat(dead.cause()).contains("CUDA out of memory")));
  }

  @Test
  void abort_freesTheBlocks() {
    VllmEngine engine = engine(EngineConfig.of(1000, 8, 512, 1024), new AffinePerfModel(W, H,
        8192));
    EngineRequest r = new EngineRequest(1, 300, 50, 0, 0);
    engine.submit(r);
    long d = engine.beginStep();
    clock.advanceTo(d);
    engine.finishStep();
    assertThat(engine.usedBlocks()).isEqualTo(19);
    assertThat(engine.abort(r)).isTrue();
    assertThat(engine.usedBlocks()).isZero();
    assertThat(listener.outcomes.get(1L)).isInstanceOf(Outcome.Aborted.class);
    assertThat(engine.abort(r)).isFalse();
  }

  @Test
  void capacityBelowOneMaxLengthSequence_isRejected() {
    assertThatThrownBy(() -> EngineConfig.of(8192, 8, 512, 100))
        .hasMessageContaining("cannot hold one max-model-len (8192) sequence");
  }
}
