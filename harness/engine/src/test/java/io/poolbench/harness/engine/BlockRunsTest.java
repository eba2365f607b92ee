package io.poolbench.harness.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.harness.perf.AffinePerfModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The prefix cache keeps a Mooncake id's 32 blocks as one run ({@link BlockHashes#applyIds});
 * that must be an implementation detail: the engine behaves exactly as with one hash per block
 * ({@link BlockHashes#fromIds}), token for token, under sharing, partial ids, eviction and
 * preemption.
 */
class BlockRunsTest {
  private static final int TOKENS_PER_ID = 512;

  private record Run(VllmEngine engine, List<EngineRequest> requests) {}

  /**
   * Conversations and shared system prompts over a small KV cache: each request's ids are a
   * system prompt's (0 to 3 ids), then a conversation's history (grown turn by turn), then ids
   * of its own; prompts end anywhere inside their last id.
   */
  private static Run run(boolean runs, long seed, int blocks, int maxSeqs) {
    VirtualClock clock = new VirtualClock();
    EngineConfig config = EngineConfig.of(16384, maxSeqs, 4096, blocks);
    VllmEngine engine = new VllmEngine(config,
        new AffinePerfModel(8_000_000L, 650_000L, 8192), clock, new RecordingListener());
    SplittableRandom rnd = new SplittableRandom(seed);
    List<long[]> conversations = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      int system = rnd.nextInt(4);
      long[] ids = new long[system];
      for (int k = 0; k < system; k++) {
        ids[k] = 1000L * (c % 3) + k; // three system prompts, of different lengths
      }
      conversations.add(ids);
    }
    long unique = 1_000_000L;
    List<EngineRequest> requests = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < 400; i++) {
      int c = rnd.nextInt(conversations.size());
      long[] history = conversations.get(c);
      int own = rnd.nextInt(1, 4);
      long[] ids = java.util.Arrays.copyOf(history, Math.min(history.length + own, 24));
      for (int k = history.length; k < ids.length; k++) {
        ids[k] = unique++;
      }
      conversations.set(c, ids);
      // anywhere inside the last id, sometimes short of the history (a truncated prompt)
      int prompt = Math.max(1, (ids.length - 1) * TOKENS_PER_ID + rnd.nextInt(-700, TOKENS_PER_ID));
      EngineRequest r = new EngineRequest(i, prompt, rnd.nextInt(1, 120), 0, t);
      if (runs) {
        BlockHashes.applyIds(r, ids, TOKENS_PER_ID, config.blockSize());
      } else {
        r.blockHashes(BlockHashes.fromIds(ids, TOKENS_PER_ID, config.blockSize(), prompt));
      }
      requests.add(r);
      t += rnd.nextLong(1, 40_000_000L);
    }
    int next = 0;
    while (next < requests.size() || engine.inFlight() > 0 || engine.stepInFlight()) {
      long due = next < requests.size() ? requests.get(next).arrivalNanos() : Long.MAX_VALUE;
      if (!engine.stepInFlight() && engine.beginStep() < 0) {
        clock.advanceTo(due);
        engine.submit(requests.get(next++));
        continue;
      }
      if (due < engine.stepEndNanos()) {
        clock.advanceTo(due);
        engine.submit(requests.get(next++));
      } else {
        clock.advanceTo(engine.stepEndNanos());
        engine.finishStep();
      }
      engine.checkInvariants();
    }
    return new Run(engine, requests);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void runsOfBlocks_behaveExactlyAsOneHashPerBlock(long seed) {
    // 1,500 blocks of 16 tokens: a few long prompts fill it, so blocks are evicted and
    // requests preempted all along
    Run perBlock = run(false, seed, 1_500, 24);
    Run perRun = run(true, seed, 1_500, 24);
    assertThat(perRun.engine().preemptions()).isEqualTo(perBlock.engine().preemptions());
    assertThat(perBlock.engine().preemptions()).isPositive();
    assertThat(perBlock.engine().prefixCacheHits()).isPositive();
    assertThat(perRun.engine().prefixCacheHits()).isEqualTo(perBlock.engine().prefixCacheHits());
    assertThat(perRun.engine().prefixCacheQueries())
        .isEqualTo(perBlock.engine().prefixCacheQueries());
    assertThat(perRun.engine().evictableBlocks()).isEqualTo(perBlock.engine().evictableBlocks());
    assertThat(perRun.engine().steps()).isEqualTo(perBlock.engine().steps());
    for (int i = 0; i < perBlock.requests().size(); i++) {
      EngineRequest a = perBlock.requests().get(i);
      EngineRequest b = perRun.requests().get(i);
      assertThat(b.cachedTokens()).as("cached tokens of request %d", i)
          .isEqualTo(a.cachedTokens());
      assertThat(b.firstTokenNanos()).as("first token of request %d", i)
          .isEqualTo(a.firstTokenNanos());
      assertThat(b.lastTokenNanos()).isEqualTo(a.lastTokenNanos());
      assertThat(b.preemptions()).isEqualTo(a.preemptions());
    }
  }

  @Test
  void roomyCache_sameHits() {
    Run perBlock = run(false, 9, 40_000, 64);
    Run perRun = run(true, 9, 40_000, 64);
    assertThat(perBlock.engine().prefixCacheHits()).isPositive();
    assertThat(perRun.engine().prefixCacheHits()).isEqualTo(perBlock.engine().prefixCacheHits());
    for (int i = 0; i < perBlock.requests().size(); i++) {
      assertThat(perRun.requests().get(i).firstTokenNanos())
          .isEqualTo(perBlock.requests().get(i).firstTokenNanos());
    }
  }

  @Test
  void blockSizeNotDividingTheId_fallsBackToOneHashPerBlock() {
    EngineRequest r = new EngineRequest(1, 1000, 1, 0, 0);
    BlockHashes.applyIds(r, new long[] {7, 8}, TOKENS_PER_ID, 48);
    assertThat(r.runWidth).isEqualTo(1);
    assertThat(r.identifiedBlocks).isEqualTo(1000 / 48);
    EngineRequest s = new EngineRequest(2, 1000, 1, 0, 0);
    BlockHashes.applyIds(s, new long[] {7, 8}, TOKENS_PER_ID, 16);
    assertThat(s.runWidth).isEqualTo(32);
    assertThat(s.identifiedBlocks).isEqualTo(62);
    assertThat(s.runHashes).hasSize(2);
  }

  @Test
  void mixedWidthsInOneEngine_areRefused() {
    VirtualClock clock = new VirtualClock();
    VllmEngine engine = new VllmEngine(EngineConfig.of(4096, 4, 2048, 500),
        new AffinePerfModel(8_000_000L, 650_000L, 8192), clock, new RecordingListener());
    EngineRequest a = new EngineRequest(1, 1000, 1, 0, 0);
    BlockHashes.applyIds(a, new long[] {1, 2}, TOKENS_PER_ID, 16);
    engine.submit(a);
    engine.beginStep();
    EngineRequest b = new EngineRequest(2, 1000, 1, 0, 0).blockHashes(new long[] {5, 6, 7});
    engine.submit(b);
    clock.advanceTo(engine.stepEndNanos());
    engine.finishStep();
    assertThatThrownBy(engine::beginStep).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs of 1").hasMessageContaining("runs of 32");
  }
}
