package io.poolbench.harness.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PrefixCache} against a plain per-block model of vLLM's block pool: a list of holder
 * lengths per run and one LRU queue of freed blocks, each release appending its blocks tail
 * first. Random insert / acquire / extend / release / evict sequences must leave both with the
 * same cached, held and evictable blocks after every step, holders of mixed lengths included.
 */
class PrefixCacheTest {

  /** One run in the model: its cached blocks [0, fill) and its holders' lengths. */
  private static final class ModelRun {
    int fill;
    final List<Integer> holders = new ArrayList<>();

    int held() {
      int h = 0;
      for (int k : holders) {
        h = Math.max(h, k);
      }
      return h;
    }
  }

  private record Block(long run, int index) {}

  private record Holder(long run, int blocks) {}

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 32})
  void randomOperations_matchThePerBlockModel(int width) {
    SplittableRandom rnd = new SplittableRandom(width * 7919L);
    int maxBlocks = 4096;
    PrefixCache cache = new PrefixCache(maxBlocks, width);
    Map<Long, ModelRun> runs = new HashMap<>();
    LinkedList<Block> lru = new LinkedList<>();
    List<Holder> holders = new ArrayList<>();
    long nextHash = 1;
    int splits = 0;
    for (int step = 0; step < 40_000; step++) {
      int op = rnd.nextInt(10);
      if (op < 2 || runs.isEmpty()) { // a new run
        if (runs.size() >= 2_000) {
          continue;
        }
        long h = nextHash++ * 0x9E37L;
        int k = 1 + rnd.nextInt(width);
        assertThat(cache.find(h)).isEqualTo(-1);
        cache.insert(h, k);
        ModelRun m = new ModelRun();
        m.fill = k;
        m.holders.add(k);
        runs.put(h, m);
        holders.add(new Holder(h, k));
      } else if (op < 5) { // another request takes a leading part of a cached run
        long h = randomKey(runs, rnd);
        ModelRun m = runs.get(h);
        int k = 1 + rnd.nextInt(m.fill);
        int held = m.held();
        if (!m.holders.isEmpty() && k != held) {
          splits++;
        }
        int r = cache.find(h);
        assertThat(cache.evictableAmong(r, k)).isEqualTo(Math.max(0, k - held));
        int taken = cache.acquire(r, k);
        assertThat(taken).isEqualTo(Math.max(0, k - held));
        for (int b = held; b < k; b++) {
          assertThat(lru.remove(new Block(h, b))).isTrue();
        }
        m.holders.add(k);
        holders.add(new Holder(h, k));
      } else if (op < 6) { // the holder of a whole, fully held run registers more blocks
        Holder x = holders.isEmpty() ? null : holders.get(rnd.nextInt(holders.size()));
        if (x == null) {
          continue;
        }
        ModelRun m = runs.get(x.run());
        if (x.blocks() != m.fill || m.held() != m.fill || m.fill == width) {
          continue;
        }
        int k = m.fill + 1 + rnd.nextInt(width - m.fill);
        cache.extend(cache.find(x.run()), m.fill, k);
        m.holders.remove(Integer.valueOf(x.blocks()));
        m.holders.add(k);
        holders.remove(x);
        holders.add(new Holder(x.run(), k));
        m.fill = k;
      } else if (op < 9) { // a request finishes
        if (holders.isEmpty()) {
          continue;
        }
        Holder x = holders.remove(rnd.nextInt(holders.size()));
        ModelRun m = runs.get(x.run());
        int before = m.held();
        m.holders.remove(Integer.valueOf(x.blocks()));
        int after = m.held();
        int freed = cache.release(cache.find(x.run()), x.blocks());
        assertThat(freed).isEqualTo(before - after);
        for (int b = before - 1; b >= after; b--) {
          lru.addLast(new Block(x.run(), b));
        }
      } else { // free blocks run out: evict the least recently freed
        if (lru.isEmpty()) {
          continue;
        }
        int n = 1 + rnd.nextInt(Math.min(lru.size(), 3 * width));
        cache.evict(n);
        for (int i = 0; i < n; i++) {
          Block b = lru.removeFirst();
          ModelRun m = runs.get(b.run());
          assertThat(b.index()).isEqualTo(m.fill - 1); // a run loses its top block first
          m.fill--;
          if (m.fill == 0) {
            runs.remove(b.run());
          }
        }
      }
      if (step % 97 == 0) {
        cache.check();
      }
      assertThat(cache.evictable()).isEqualTo(lru.size());
      assertThat(cache.size()).isEqualTo(runs.size());
    }
    long held = 0;
    for (Map.Entry<Long, ModelRun> e : runs.entrySet()) {
      int r = cache.find(e.getKey());
      assertThat(r).isNotEqualTo(-1);
      assertThat(cache.fill(r)).isEqualTo(e.getValue().fill);
      held += e.getValue().held();
    }
    assertThat(cache.held()).isEqualTo(held);
    cache.check();
    if (width > 1) {
      assertThat(splits).as("holders of mixed lengths were exercised").isGreaterThan(100);
    }
  }

  @Test
  void releasingALengthNoHolderHolds_isRefused() {
    PrefixCache cache = new PrefixCache(64, 32);
    int r = cache.insert(42, 8);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.release(r, 5))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no holder of 5");
  }

  private static long randomKey(Map<Long, ModelRun> runs, SplittableRandom rnd) {
    int i = rnd.nextInt(runs.size());
    for (long k : runs.keySet()) {
      if (i-- == 0) {
        return k;
      }
    }
    throw new AssertionError();
  }
}
