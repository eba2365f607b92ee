package io.poolbench.harness.engine;

import java.util.Arrays;

/**
 * The identities of cached full KV blocks of one engine, as vLLM V1's block pool keeps them
 * (vllm/v1/core/block_pool.py): a map from block hash to cached block, a reference count per
 * block, and an LRU order of the blocks no running request holds (vLLM's free block queue: the
 * least recently freed is evicted first). The engine does the block counting; this class only
 * holds identities.
 *
 * <p>Blocks are kept in <em>runs</em> of up to {@code width} consecutive blocks of one chain
 * whose identities follow from the first: a Mooncake hash id stands for 512 tokens, that is 32
 * blocks of 16, and two prompts that share the id (and everything before it) share all of them.
 * One hash-table probe then finds 32 blocks, and one update takes or frees them; with token-level
 * identities (the mock server's) {@code width} is 1 and a run is a block. The per-block
 * behaviour stays exactly vLLM's, because in vLLM's scheme the cached blocks of a chain always
 * form a prefix of it: a request holds a leading run of blocks (hits are leading, registration
 * extends them), frees its blocks tail first, and a block is only taken again together with
 * every block before it. So within a run:
 * <ul>
 *   <li>the cached blocks are {@code [0, fill)};</li>
 *   <li>the held ones are {@code [0, held)}, {@code held} being the longest holder's length
 *       (holders are counted per length), so reference counts never need storing per block;
 *       as nearly every run's holders hold one length (a shared system prompt's full runs, a
 *       prompt's own runs held by it alone), a run keeps just that length's count and takes a
 *       table of counts per length only while its holders differ;</li>
 *   <li>the evictable ones {@code [held, fill)} lie in LRU <em>segments</em>, one per release
 *       that freed blocks, the newest covering the lowest blocks: an eviction always takes a
 *       run's top block, an acquisition its lowest evictable ones.</li>
 * </ul>
 * Primitive arrays only: an open-addressing table (linear probing, backward-shift deletion) from
 * hash to run, an intrusive doubly linked LRU list of segments, and per run a doubly linked stack
 * of its segments. The arrays start small and double as needed: a simulated fleet has hundreds of
 * engines, and allocating every engine's whole table up front cost more than the simulation.
 * {@code BlockRunsTest} checks that runs of 32 behave exactly as one hash per block.
 */
final class PrefixCache {
  private static final int NONE = -1;
  private static final int INITIAL_RUNS = 256;
  private static final int INITIAL_SEGMENTS = 256;
  private static final int INITIAL_SLOTS = 4;

  private final int width;
  private final int maxRuns;

  private int runCapacity;
  private long[] hash;
  private int[] fill;
  private int[] held;
  /** The run's newest segment (its lowest evictable blocks), or NONE. */
  private int[] topSeg;
  /** While {@code multi[r] == NONE}: how many holders the run has, all of {@code held[r]}. */
  private int[] count;
  /**
   * NONE while a run's holders all hold the same length; else the slot in {@code lengths}
   * ({@code width + 1} counters: how many holders hold exactly that many blocks).
   */
  private int[] multi;
  private int[] lengths;
  private int[] freeSlots;
  private int freeSlotsTop;
  private int[] freeRuns;
  private int freeRunsTop;
  private int[] table;
  private int mask;
  private int runs;

  private int segCapacity;
  private int[] segRun;
  private int[] segLo;
  private int[] segHi;
  private int[] segPrev;
  private int[] segNext;
  /** Next older segment of the same run, or NONE. */
  private int[] segOlder;
  /** Next newer segment of the same run, or NONE. */
  private int[] segNewer;
  private int[] freeSegs;
  private int freeSegsTop;
  private int lruHead = NONE;
  private int lruTail = NONE;

  private int evictable;
  private int heldBlocks;

  /**
   * A cache of at most {@code maxBlocks} blocks (the engine's block count) in runs of
   * {@code width} blocks.
   */
  PrefixCache(int maxBlocks, int width) {
    if (width < 1 || maxBlocks < 1) {
      throw new IllegalArgumentException("width and blocks must be >= 1: " + width + ", "
          + maxBlocks);
    }
    this.width = width;
    this.maxRuns = maxBlocks;
    runCapacity = Math.min(maxRuns, INITIAL_RUNS);
    hash = new long[runCapacity];
    fill = new int[runCapacity];
    held = new int[runCapacity];
    topSeg = new int[runCapacity];
    count = new int[runCapacity];
    multi = new int[runCapacity];
    lengths = new int[INITIAL_SLOTS * (width + 1)];
    freeSlots = new int[INITIAL_SLOTS];
    freeRuns = new int[runCapacity];
    segCapacity = INITIAL_SEGMENTS;
    segRun = new int[segCapacity];
    segLo = new int[segCapacity];
    segHi = new int[segCapacity];
    segPrev = new int[segCapacity];
    segNext = new int[segCapacity];
    segOlder = new int[segCapacity];
    segNewer = new int[segCapacity];
    freeSegs = new int[segCapacity];
    newTable();
    clear();
  }

  /** Blocks per run. */
  int width() {
    return width;
  }

  private void newTable() {
    int tableSize = Integer.highestOneBit(Math.max(2, runCapacity) * 2 - 1) << 1;
    table = new int[tableSize];
    mask = tableSize - 1;
  }

  /** Forgets every block (engine death). */
  void clear() {
    Arrays.fill(table, NONE);
    Arrays.fill(count, 0);
    Arrays.fill(multi, NONE);
    Arrays.fill(lengths, 0);
    for (int i = 0; i < freeSlots.length; i++) {
      freeSlots[i] = freeSlots.length - 1 - i;
    }
    freeSlotsTop = freeSlots.length;
    Arrays.fill(topSeg, NONE);
    for (int i = 0; i < runCapacity; i++) {
      freeRuns[i] = runCapacity - 1 - i;
    }
    freeRunsTop = runCapacity;
    for (int i = 0; i < segCapacity; i++) {
      freeSegs[i] = segCapacity - 1 - i;
    }
    freeSegsTop = segCapacity;
    lruHead = lruTail = NONE;
    evictable = 0;
    heldBlocks = 0;
    runs = 0;
  }

  private int home(long h) {
    long x = h * 0x9E3779B97F4A7C15L;
    return (int) (x ^ (x >>> 32)) & mask;
  }

  /** The run whose first block has hash {@code h}, or -1. */
  int find(long h) {
    for (int i = home(h); ; i = (i + 1) & mask) {
      int r = table[i];
      if (r == NONE) {
        return NONE;
      }
      if (hash[r] == h) {
        return r;
      }
    }
  }

  /** Cached blocks of run {@code r}: its blocks {@code [0, fill)}. */
  int fill(int r) {
    return fill[r];
  }

  /** Of run {@code r}'s first {@code k} blocks, how many are cached and held by no request. */
  int evictableAmong(int r, int k) {
    return Math.max(0, Math.min(k, fill[r]) - held[r]);
  }

  /** Adds run {@code h} (not present) with {@code k} blocks, held by one request; returns it. */
  int insert(long h, int k) {
    if (k < 1 || k > width) {
      throw new IllegalArgumentException("blocks " + k + " outside 1.." + width);
    }
    if (freeRunsTop == 0) {
      if (runCapacity == maxRuns) {
        throw new IllegalStateException("prefix cache full: " + runCapacity + " runs");
      }
      growRuns();
    }
    int r = freeRuns[--freeRunsTop];
    hash[r] = h;
    fill[r] = k;
    held[r] = k;
    topSeg[r] = NONE;
    count[r] = 1;
    multi[r] = NONE;
    heldBlocks += k;
    runs++;
    int i = home(h);
    while (table[i] != NONE) {
      i = (i + 1) & mask;
    }
    table[i] = r;
    return r;
  }

  /**
   * Extends run {@code r} from {@code j} to {@code k} cached blocks, computed by the holder of
   * its first {@code j} (the run must hold exactly {@code j}).
   */
  void extend(int r, int j, int k) {
    if (fill[r] != j || held[r] != j || k <= j || k > width) {
      throw new IllegalStateException("cannot extend run " + r + " (fill " + fill[r] + ", held "
          + held[r] + ") from " + j + " to " + k);
    }
    int m = multi[r];
    if (m != NONE) {
      lengths[m + j]--;
      lengths[m + k]++;
    } else if (count[r] == 1) {
      // the only holder grows: still one length
    } else {
      m = split(r);
      lengths[m + j]--;
      lengths[m + k]++;
    }
    fill[r] = k;
    held[r] = k;
    heldBlocks += k - j;
  }

  /**
   * A request takes run {@code r}'s first {@code k} blocks (all cached); returns how many of
   * them were evictable (counted free until now).
   */
  int acquire(int r, int k) {
    if (k < 1 || k > fill[r]) {
      throw new IllegalArgumentException("cannot take " + k + " of run " + r + " (fill "
          + fill[r] + ")");
    }
    int m = multi[r];
    if (m != NONE) {
      lengths[m + k]++;
    } else if (count[r] == 0 || k == held[r]) {
      count[r]++;
    } else {
      m = split(r);
      lengths[m + k]++;
    }
    int h = held[r];
    if (k <= h) {
      return 0;
    }
    // the evictable blocks [h, fill) lie in the run's segments, the lowest in the newest
    int s = topSeg[r];
    while (s != NONE && segLo[s] < k) {
      if (segHi[s] <= k) {
        int older = segOlder[s];
        removeSegment(s);
        s = older;
      } else {
        segLo[s] = k;
        break;
      }
    }
    int taken = k - h;
    held[r] = k;
    evictable -= taken;
    heldBlocks += taken;
    return taken;
  }

  /**
   * The holder of run {@code r}'s first {@code k} blocks lets go; returns how many blocks became
   * evictable (free now). The freed blocks join the LRU order as the most recently freed.
   */
  int release(int r, int k) {
    int m = multi[r];
    int h;
    if (m == NONE) {
      if (k != held[r] || count[r] < 1) {
        throw new IllegalStateException("run " + r + " has no holder of " + k + " blocks");
      }
      if (--count[r] > 0) {
        return 0;
      }
      h = 0;
    } else {
      if (--lengths[m + k] > 0 || k < held[r]) {
        return 0;
      }
      h = k - 1;
      while (h > 0 && lengths[m + h] == 0) {
        h--;
      }
      if (h == 0) {
        // no holder left: back to the one-length form
        freeSlots[freeSlotsTop++] = m / (width + 1);
        multi[r] = NONE;
        count[r] = 0;
      }
    }
    pushSegment(r, h, k);
    int freed = k - h;
    held[r] = h;
    evictable += freed;
    heldBlocks -= freed;
    return freed;
  }

  /** Evicts the {@code n} least recently freed blocks (there must be that many). */
  void evict(int n) {
    if (n > evictable) {
      throw new IllegalStateException("cannot evict " + n + " of " + evictable + " blocks");
    }
    while (n > 0) {
      int s = lruHead;
      int r = segRun[s];
      int m = Math.min(n, segHi[s] - segLo[s]);
      segHi[s] -= m;
      fill[r] -= m;
      evictable -= m;
      n -= m;
      if (segHi[s] == segLo[s]) {
        removeSegment(s);
      }
      if (fill[r] == 0) {
        removeRun(r);
      }
    }
  }

  /** Cached blocks held by no request. */
  int evictable() {
    return evictable;
  }

  /** Cached blocks held by at least one request. */
  int held() {
    return heldBlocks;
  }

  /** Runs present. */
  int size() {
    return runs;
  }

  /**
   * Gives run {@code r} a table of counts per length, holding its {@code count[r]} holders of
   * {@code held[r]} blocks; returns the table's offset in {@code lengths}.
   */
  private int split(int r) {
    if (freeSlotsTop == 0) {
      int old = freeSlots.length;
      lengths = Arrays.copyOf(lengths, 2 * old * (width + 1));
      freeSlots = new int[2 * old];
      for (int i = 2 * old - 1; i >= old; i--) {
        freeSlots[freeSlotsTop++] = i;
      }
    }
    int m = freeSlots[--freeSlotsTop] * (width + 1);
    Arrays.fill(lengths, m, m + width + 1, 0);
    lengths[m + held[r]] = count[r];
    multi[r] = m;
    return m;
  }

  private void pushSegment(int r, int lo, int hi) {
    if (freeSegsTop == 0) {
      growSegments();
    }
    int s = freeSegs[--freeSegsTop];
    segRun[s] = r;
    segLo[s] = lo;
    segHi[s] = hi;
    // most recently freed: at the LRU tail
    segPrev[s] = lruTail;
    segNext[s] = NONE;
    if (lruTail == NONE) {
      lruHead = s;
    } else {
      segNext[lruTail] = s;
    }
    lruTail = s;
    // and the newest of its run
    int top = topSeg[r];
    segOlder[s] = top;
    segNewer[s] = NONE;
    if (top != NONE) {
      segNewer[top] = s;
    }
    topSeg[r] = s;
  }

  private void removeSegment(int s) {
    int p = segPrev[s];
    int q = segNext[s];
    if (p == NONE) {
      lruHead = q;
    } else {
      segNext[p] = q;
    }
    if (q == NONE) {
      lruTail = p;
    } else {
      segPrev[q] = p;
    }
    int older = segOlder[s];
    int newer = segNewer[s];
    if (newer == NONE) {
      topSeg[segRun[s]] = older;
    } else {
      segOlder[newer] = older;
    }
    if (older != NONE) {
      segNewer[older] = newer;
    }
    freeSegs[freeSegsTop++] = s;
  }

  private void removeRun(int r) {
    int i = home(hash[r]);
    while (table[i] != r) {
      i = (i + 1) & mask;
    }
    // backward-shift deletion keeps every probe chain unbroken
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      int f = table[j];
      if (f == NONE) {
        break;
      }
      int h = home(hash[f]);
      if (((j - h) & mask) >= ((j - i) & mask)) {
        table[i] = f;
        i = j;
      }
    }
    table[i] = NONE;
    freeRuns[freeRunsTop++] = r;
    runs--;
  }

  /** Doubles the run arrays (every run is in use when this is called) and rehashes. */
  private void growRuns() {
    int old = runCapacity;
    runCapacity = (int) Math.min(maxRuns, 2L * old);
    hash = Arrays.copyOf(hash, runCapacity);
    fill = Arrays.copyOf(fill, runCapacity);
    held = Arrays.copyOf(held, runCapacity);
    topSeg = Arrays.copyOf(topSeg, runCapacity);
    count = Arrays.copyOf(count, runCapacity);
    multi = Arrays.copyOf(multi, runCapacity);
    Arrays.fill(multi, old, runCapacity, NONE);
    freeRuns = new int[runCapacity];
    freeRunsTop = 0;
    for (int r = runCapacity - 1; r >= old; r--) {
      freeRuns[freeRunsTop++] = r;
    }
    newTable();
    Arrays.fill(table, NONE);
    for (int r = 0; r < old; r++) {
      int i = home(hash[r]);
      while (table[i] != NONE) {
        i = (i + 1) & mask;
      }
      table[i] = r;
    }
  }

  /** Doubles the segment arrays (every segment is in use when this is called). */
  private void growSegments() {
    int old = segCapacity;
    segCapacity = 2 * old;
    segRun = Arrays.copyOf(segRun, segCapacity);
    segLo = Arrays.copyOf(segLo, segCapacity);
    segHi = Arrays.copyOf(segHi, segCapacity);
    segPrev = Arrays.copyOf(segPrev, segCapacity);
    segNext = Arrays.copyOf(segNext, segCapacity);
    segOlder = Arrays.copyOf(segOlder, segCapacity);
    segNewer = Arrays.copyOf(segNewer, segCapacity);
    freeSegs = new int[segCapacity];
    freeSegsTop = 0;
    for (int s = segCapacity - 1; s >= old; s--) {
      freeSegs[freeSegsTop++] = s;
    }
  }

  /** Checks that the table, the runs, the segments and the counts agree; throws if not. */
  void check() {
    boolean[] inTable = new boolean[runCapacity];
    int present = 0;
    for (int r : table) {
      if (r != NONE) {
        present++;
        inTable[r] = true;
        if (find(hash[r]) != r) {
          throw new IllegalStateException("prefix cache table broken at run " + r);
        }
      }
    }
    if (present != runs || runs + freeRunsTop != runCapacity) {
      throw new IllegalStateException("prefix cache run counts broken: " + present
          + " in table, " + runs + " counted, " + freeRunsTop + " free of " + runCapacity);
    }
    long listed = 0;
    int segments = 0;
    for (int s = lruHead; s != NONE; s = segNext[s]) {
      if (++segments > segCapacity || !inTable[segRun[s]] || segLo[s] >= segHi[s]) {
        throw new IllegalStateException("prefix cache LRU list broken at segment " + s);
      }
      listed += segHi[s] - segLo[s];
    }
    long heldSum = 0;
    for (int r = 0; r < runCapacity; r++) {
      if (!inTable[r]) {
        continue;
      }
      int longest = 0;
      int m = multi[r];
      if (m == NONE) {
        if (count[r] < 0 || (count[r] == 0) != (held[r] == 0)) {
          throw new IllegalStateException("run " + r + ": " + count[r] + " holders of "
              + held[r] + " blocks");
        }
        longest = held[r];
      } else {
        int total = 0;
        for (int k = 1; k <= width; k++) {
          if (lengths[m + k] < 0) {
            throw new IllegalStateException("negative holders in run " + r);
          }
          if (lengths[m + k] > 0) {
            longest = k;
            total += lengths[m + k];
          }
        }
        if (total == 0) {
          throw new IllegalStateException("run " + r + " keeps a length table without holders");
        }
      }
      if (longest != held[r] || fill[r] < held[r] || fill[r] < 1 || fill[r] > width) {
        throw new IllegalStateException("run " + r + ": fill " + fill[r] + ", held " + held[r]
            + ", longest holder " + longest);
      }
      // the run's segments, newest first, tile [held, fill)
      int at = held[r];
      for (int s = topSeg[r]; s != NONE; s = segOlder[s]) {
        if (segRun[s] != r || segLo[s] != at) {
          throw new IllegalStateException("run " + r + "'s segments do not tile its evictable"
              + " blocks at " + at);
        }
        at = segHi[s];
      }
      if (at != fill[r]) {
        throw new IllegalStateException("run " + r + "'s segments end at " + at + ", fill "
            + fill[r]);
      }
      heldSum += held[r];
    }
    if (listed != evictable || heldSum != heldBlocks
        || segments + freeSegsTop != segCapacity) {
      throw new IllegalStateException("prefix cache counts broken: evictable " + evictable
          + " listed " + listed + ", held " + heldBlocks + " summed " + heldSum);
    }
  }
}
