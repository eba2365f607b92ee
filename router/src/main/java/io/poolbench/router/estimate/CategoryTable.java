package io.poolbench.router.estimate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps category names to dense indexes, bounded: index 0 is the default bucket
 * ({@value #DEFAULT_NAME}), names past the limit share it. Lookups of known names are a
 * lock-free hash-map read; registration of a new name is safe from many threads.
 */
public final class CategoryTable {

  /** Name of the default bucket, which every sample also updates. */
  public static final String DEFAULT_NAME = "_default";

  /** Index of the default bucket. */
  public static final int DEFAULT_INDEX = 0;

  private final int maxNamed;
  private final ConcurrentHashMap<String, Integer> indexes = new ConcurrentHashMap<>();
  private final AtomicReferenceArray<String> names;
  private final Object registrationLock = new Object();
  private volatile int size = 1;

  /** A table that holds up to {@code maxNamed} categories besides the default bucket. */
  public CategoryTable(int maxNamed) {
    this.maxNamed = maxNamed;
    this.names = new AtomicReferenceArray<>(maxNamed + 1);
    names.set(DEFAULT_INDEX, DEFAULT_NAME);
    indexes.put(DEFAULT_NAME, DEFAULT_INDEX);
  }

  /** Slots, the default bucket included: the size of per-category arrays. */
  public int capacity() {
    return maxNamed + 1;
  }

  /** Categories in use, the default bucket included. */
  public int size() {
    return size;
  }

  /**
   * The index of {@code name}, registering it when there is room; null, empty and overflow names
   * map to {@link #DEFAULT_INDEX}. Allocation-free for names already registered.
   */
  public int indexOf(String name) {
    if (name == null || name.isEmpty()) {
      return DEFAULT_INDEX;
    }
    Integer known = indexes.get(name);
    if (known != null) {
      return known;
    }
    if (size > maxNamed) {
      return DEFAULT_INDEX;
    }
    synchronized (registrationLock) { // rare: once per new category name, never on I/O
      known = indexes.get(name);
      if (known != null) {
        return known;
      }
      int next = size;
      if (next > maxNamed) {
        return DEFAULT_INDEX;
      }
      names.set(next, name);
      indexes.put(name, next);
      size = next + 1;
      return next;
    }
  }

  /** The index of {@code name} if registered, else {@link #DEFAULT_INDEX}; never registers. */
  public int find(String name) {
    if (name == null) {
      return DEFAULT_INDEX;
    }
    Integer known = indexes.get(name);
    return known == null ? DEFAULT_INDEX : known;
  }

  /** The name at {@code index}. */
  public String name(int index) {
    String name = names.get(index);
    if (name == null) {
      throw new IllegalArgumentException("no category at index " + index);
    }
    return name;
  }

  /** Registered names in index order, the default bucket first. */
  public List<String> names() {
    int n = size;
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(names.get(i));
    }
    return out;
  }
}
