package io.poolbench.router.policy;

import io.poolbench.router.PoolSpec;
import io.poolbench.traces.BadInputException;
import java.util.List;

/**
 * The pools a policy routes over, in ascending {@code max_model_len} order, with the lookups the
 * decision path needs precomputed into arrays.
 */
public final class PoolTable {

  private final List<PoolSpec> pools;
  private final int[] maxModelLen;
  private final int[] nextLarger;

  /** Validates that {@code pools} is non-empty and sorted by ascending max_model_len. */
  public PoolTable(List<PoolSpec> pools) {
    if (pools == null || pools.isEmpty()) {
      throw new BadInputException("at least one pool is needed");
    }
    this.pools = List.copyOf(pools);
    int n = this.pools.size();
    this.maxModelLen = new int[n];
    for (int i = 0; i < n; i++) {
      maxModelLen[i] = this.pools.get(i).maxModelLen();
      if (i > 0 && maxModelLen[i] < maxModelLen[i - 1]) {
        throw new BadInputException("pools must be listed in ascending max-model-len order, but '"
            + this.pools.get(i).name() + "' (" + maxModelLen[i] + ") follows '"
            + this.pools.get(i - 1).name() + "' (" + maxModelLen[i - 1] + ")");
      }
    }
    this.nextLarger = new int[n];
    for (int i = 0; i < n; i++) {
      nextLarger[i] = -1;
      for (int j = i + 1; j < n; j++) {
        if (maxModelLen[j] > maxModelLen[i]) {
          nextLarger[i] = j;
          break;
        }
      }
    }
  }

  public List<PoolSpec> pools() {
    return pools;
  }

  public int size() {
    return maxModelLen.length;
  }

  public PoolSpec pool(int index) {
    return pools.get(index);
  }

  public int maxModelLen(int index) {
    return maxModelLen[index];
  }

  /** The largest pool's index. */
  public int last() {
    return maxModelLen.length - 1;
  }

  /** True when {@code tokens} fit into pool {@code index}. */
  public boolean fits(int index, long tokens) {
    return tokens <= maxModelLen[index];
  }

  /** The first (smallest) pool that holds {@code tokens}, or -1 when none does. */
  public int firstFitting(long tokens) {
    for (int i = 0; i < maxModelLen.length; i++) {
      if (tokens <= maxModelLen[i]) {
        return i;
      }
    }
    return -1;
  }

  /** The next pool with a strictly larger max_model_len, or -1: the context-length fallback. */
  public int nextLarger(int index) {
    return nextLarger[index];
  }

  /** The index of the pool named {@code name} (case-insensitive), or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < pools.size(); i++) {
      if (pools.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
