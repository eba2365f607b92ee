package io.poolbench.harness.engine;

import java.util.Arrays;

/**
 * The identities of cached full KV blocks of one engine, as vLLM V1's block pool keeps them
 * (vllm/v1/core/block_pool.py): a map from block hash to cache entry, a reference count per
 * entry, and an LRU order of the entries no running request holds (vLLM's free block queue: the
 * least recently freed is evicted first). Primitive arrays only: an open-addressing hash table
 * (linear probing, backward-shift deletion) from hash to entry, and an intrusive doubly linked
 * list over entry indices. The engine does the block counting; this class only holds identities.
 *
 * <p>The arrays start small and double as blocks get identities, up to the engine's block count:
 * a simulated fleet has many engines with up to hundreds of thousands of blocks each, and
 * allocating every engine's whole table up front cost more than the simulation itself.
 */
final class PrefixCache {
  private static final int NONE = -1;

  private static final int INITIAL_CAPACITY = 1024;

  private final int maxCapacity;
  private int capacity;
  private long[] hash;
  private int[] refs;
  private int[] prev;
  private int[] next;
  /** Stack of unused entry indices. */
  private int[] unused;
  private int unusedTop;
  private int[] table;
  private int mask;
  private int lruHead = NONE;
  private int lruTail = NONE;
  private int evictable;
  private int size;

  /** A cache for at most {@code maxCapacity} block identities (the engine's block count). */
  PrefixCache(int maxCapacity) {
    this.maxCapacity = maxCapacity;
    this.capacity = Math.min(maxCapacity, INITIAL_CAPACITY);
    hash = new long[capacity];
    refs = new int[capacity];
    prev = new int[capacity];
    next = new int[capacity];
    unused = new int[capacity];
    newTable();
    clear();
  }

  private void newTable() {
    int tableSize = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
    table = new int[tableSize];
    mask = tableSize - 1;
  }

  /** Doubles the entry arrays (every entry is in use when this is called) and rehashes. */
  private void grow() {
    int old = capacity;
    capacity = (int) Math.min(maxCapacity, 2L * old);
    hash = Arrays.copyOf(hash, capacity);
    refs = Arrays.copyOf(refs, capacity);
    prev = Arrays.copyOf(prev, capacity);
    next = Arrays.copyOf(next, capacity);
    unused = new int[capacity];
    unusedTop = 0;
    for (int e = capacity - 1; e >= old; e--) {
      unused[unusedTop++] = e;
    }
    newTable();
    Arrays.fill(table, NONE);
    for (int e = 0; e < old; e++) {
      int i = home(hash[e]);
      while (table[i] != NONE) {
        i = (i + 1) & mask;
      }
      table[i] = e;
    }
  }

  /** Forgets every entry (engine death). */
  void clear() {
    Arrays.fill(table, NONE);
    for (int i = 0; i < unused.length; i++) {
      unused[i] = unused.length - 1 - i;
    }
    unusedTop = unused.length;
    lruHead = lruTail = NONE;
    evictable = 0;
    size = 0;
  }

  private int home(long h) {
    long x = h * 0x9E3779B97F4A7C15L;
    return (int) (x ^ (x >>> 32)) & mask;
  }

  /** The entry holding {@code h}, or -1. */
  int find(long h) {
    for (int i = home(h); ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == NONE) {
        return NONE;
      }
      if (hash[e] == h) {
        return e;
      }
    }
  }

  /** Adds {@code h} (not present) as an entry held once; returns it. */
  int insert(long h) {
    if (unusedTop == 0) {
      if (capacity == maxCapacity) {
        throw new IllegalStateException("prefix cache full: " + capacity + " entries");
      }
      grow();
    }
    int e = unused[--unusedTop];
    hash[e] = h;
    refs[e] = 1;
    size++;
    int i = home(h);
    while (table[i] != NONE) {
      i = (i + 1) & mask;
    }
    table[i] = e;
    return e;
  }

  /** Takes a reference; true when the entry was evictable (its block was counted free). */
  boolean acquire(int e) {
    if (refs[e]++ == 0) {
      unlink(e);
      evictable--;
      return true;
    }
    return false;
  }

  /** Drops a reference; true when the entry became evictable (its block is free now). */
  boolean release(int e) {
    if (--refs[e] == 0) {
      // most recently freed: evicted last
      prev[e] = lruTail;
      next[e] = NONE;
      if (lruTail == NONE) {
        lruHead = e;
      } else {
        next[lruTail] = e;
      }
      lruTail = e;
      evictable++;
      return true;
    }
    return false;
  }

  /** Evicts the least recently freed entry (there must be one). */
  void evictOne() {
    int e = lruHead;
    unlink(e);
    evictable--;
    remove(e);
  }

  int evictable() {
    return evictable;
  }

  /** Entries held by at least one request. */
  int held() {
    return size - evictable;
  }

  int size() {
    return size;
  }

  int refs(int e) {
    return refs[e];
  }

  /** Checks that the list, the counts and the table agree; throws if not. */
  void check() {
    int n = 0;
    for (int e = lruHead; e != NONE; e = next[e]) {
      if (refs[e] != 0 || n > size) {
        throw new IllegalStateException("prefix cache LRU list broken at entry " + e);
      }
      n++;
    }
    int inTable = 0;
    for (int e : table) {
      if (e != NONE) {
        inTable++;
        if (find(hash[e]) != e) {
          throw new IllegalStateException("prefix cache table broken at entry " + e);
        }
      }
    }
    if (n != evictable || inTable != size || size + unusedTop != unused.length) {
      throw new IllegalStateException("prefix cache counts broken: evictable " + evictable
          + " listed " + n + ", size " + size + " in table " + inTable);
    }
  }

  private void unlink(int e) {
    int p = prev[e];
    int q = next[e];
    if (p == NONE) {
      lruHead = q;
    } else {
      next[p] = q;
    }
    if (q == NONE) {
      lruTail = p;
    } else {
      prev[q] = p;
    }
  }

  private void remove(int e) {
    int i = home(hash[e]);
    while (table[i] != e) {
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
    unused[unusedTop++] = e;
    size--;
  }
}
