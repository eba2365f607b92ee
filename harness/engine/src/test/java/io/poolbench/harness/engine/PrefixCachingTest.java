package io.poolbench.harness.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.perf.AffinePerfModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrefixCachingTest {
  private static final int PREFIX_BLOCKS = 64; // 1,024 tokens

  /** Chained hashes: a shared 1,024-token prefix, then blocks unique to request {@code id}. */
  private static long[] hashes(long id, int promptTokens) {
    long[] h = new long[promptTokens / 16];
    long parent = 17;
    for (int k = 0; k < h.length; k++) {
      long content = k < PREFIX_BLOCKS ? k : (id << 20) + k;
      parent = parent * 0x9E3779B97F4A7C15L + content * 31 + 7;
      h[k] = parent;
    }
    return h;
  }

  private record Run(VllmEngine engine, List<EngineRequest> requests) {}

  private static Run run(boolean caching, boolean identities, int count, long seed) {
    VirtualClock clock = new VirtualClock();
    RecordingListener listener = new RecordingListener();
    EngineConfig config = EngineConfig.of(4096, 16, 2048, 2_000).withPrefixCaching(caching);
    VllmEngine engine =
        new VllmEngine(config, new AffinePerfModel(8_000_000L, 650_000L, 8192), clock, listener);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<EngineRequest> requests = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < count; i++) {
      int prompt = 1024 + rnd.nextInt(1, 600);
      EngineRequest r = new EngineRequest(i, prompt, rnd.nextInt(1, 80), 0, t);
      if (identities) {
        r.blockHashes(hashes(i, prompt));
      }
      requests.add(r);
      t += rnd.nextLong(1, 60_000_000L);
    }
    int next = 0;
    while (next < requests.size() || engine.inFlight() > 0 || engine.stepInFlight()) {
      long due = next < requests.size() ? requests.get(next).arrivalNanos() : Long.MAX_VALUE;
      if (!engine.stepInFlight()) {
        if (engine.beginStep() < 0) {
          clock.advanceTo(due);
          assertThat(engine.submit(requests.get(next++))).isNull();
          continue;
        }
      }
      engine.checkInvariants();
      if (due < engine.stepEndNanos()) {
        clock.advanceTo(due);
        assertThat(engine.submit(requests.get(next++))).isNull();
      } else {
        clock.advanceTo(engine.stepEndNanos());
        engine.finishStep();
      }
      engine.checkInvariants();
    }
    return new Run(engine, requests);
  }

  @Test
  void sharedPrefix_hitsMostOfIt_andCutsTtft() {
    Run on = run(true, true, 300, 1);
    Run off = run(false, true, 300, 1);
    long queries = on.engine().prefixCacheQueries();
    double rate = (double) on.engine().prefixCacheHits() / queries;
    long prompt = on.requests().stream().mapToLong(EngineRequest::promptTokens).sum();
    // all but the first request find the 1,024 shared tokens
    assertThat(queries).isGreaterThanOrEqualTo(prompt);
    assertThat(on.engine().prefixCacheHits()).isEqualTo(299L * 1024);
    assertThat(rate).isBetween(0.5, 0.8);
    assertThat(on.requests().get(5).cachedTokens()).isEqualTo(1024);
    assertThat(off.engine().prefixCacheHits()).isZero();
    assertThat(off.requests().get(5).cachedTokens()).isZero();
    assertThat(meanTtft(on)).isLessThan(meanTtft(off));
  }

  @Test
  void cachingOff_orNoIdentities_timingsIdentical() {
    Run off = run(false, true, 200, 7);
    Run none = run(true, false, 200, 7);
    for (int i = 0; i < 200; i++) {
      EngineRequest a = off.requests().get(i);
      EngineRequest b = none.requests().get(i);
      assertThat(a.firstTokenNanos()).isEqualTo(b.firstTokenNanos());
      assertThat(a.lastTokenNanos()).isEqualTo(b.lastTokenNanos());
      assertThat(a.preemptions()).isEqualTo(b.preemptions());
    }
    assertThat(off.engine().steps()).isEqualTo(none.engine().steps());
  }

  @Test
  void evictsLeastRecentlyFreed_andDeathEmptiesCache() {
    VirtualClock clock = new VirtualClock();
    VllmEngine engine = new VllmEngine(EngineConfig.of(2048, 4, 2048, 200),
        new AffinePerfModel(8_000_000L, 650_000L, 8192), clock, new RecordingListener());
    for (int i = 0; i < 2; i++) {
      EngineRequest r = new EngineRequest(i, 1024, 1, 0, 0).blockHashes(hashes(i + 10, 1024));
      engine.submit(r);
      drain(engine, clock);
    }
    engine.checkInvariants();
    assertThat(engine.evictableBlocks()).isEqualTo(64);
    assertThat(engine.kvCacheUsage()).isZero();
    // both prompts are the shared 64 blocks (the second recomputes its last one privately); a
    // distinct 1,000-token prompt needs 63 blocks of the 136 truly free: no eviction
    engine.submit(new EngineRequest(3, 1000, 1, 0, 0).blockHashes(new long[0]));
    drain(engine, clock);
    assertThat(engine.evictableBlocks()).isEqualTo(64);
    engine.kill("test");
    engine.restart();
    assertThat(engine.evictableBlocks()).isZero();
    engine.checkInvariants();
  }

  private static void drain(VllmEngine engine, VirtualClock clock) {
    for (long d = engine.beginStep(); d > 0; d = engine.beginStep()) {
      clock.advanceTo(engine.stepEndNanos());
      engine.finishStep();
      engine.checkInvariants();
    }
  }

  private static double meanTtft(Run r) {
    return r.requests().stream()
        .mapToLong(q -> q.firstTokenNanos() - q.arrivalNanos()).average().orElseThrow();
  }
}
