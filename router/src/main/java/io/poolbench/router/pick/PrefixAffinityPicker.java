package io.poolbench.router.pick;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code prefix-affinity}: sends a request to the endpoint that last served its longest known
 * prefix, as long as that endpoint's load stays within a bound, and otherwise to the least-loaded
 * endpoint (consistent hashing with bounded loads, Mirrokni et al. 2018, with the prefix table in
 * place of the hash ring).
 *
 * <p>A fixed table of {@value #DEFAULT_SLOTS} slots maps block hashes to the endpoint that last
 * served a request containing that block (one {@code long} per slot: the hash's upper 48 bits and
 * a 16-bit endpoint index; a colliding block simply overwrites, so the table is a lossy cache of
 * recent prefixes, like the engines' own caches). A pick probes the request's blocks from the
 * deepest down; the first hit whose endpoint has at most {@code ceil(c × (total + 1) / n)}
 * outstanding requests (c = {@value #DEFAULT_LOAD_FACTOR}; fresh engine signals' waiting requests
 * count too, and a KV-saturated endpoint is never held to) wins. No hit within the bound, or no
 * prefix at all: {@code least-requests}. After dispatch every block of the request points at the
 * endpoint that took it.
 *
 * <p>Thread-safe (slots are read and written with opaque access, so a racing update is lost, never
 * torn) and allocation-free. A pick costs one pass over the endpoints for the load bound plus at
 * most one probe per block.
 */
public final class PrefixAffinityPicker implements EndpointPicker {

  /** Table slots (a power of two). */
  public static final int DEFAULT_SLOTS = 1 << 16;
  /** The load bound's factor c: an endpoint is held to while its load ≤ c × the mean (+1). */
  public static final double DEFAULT_LOAD_FACTOR = 1.25;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final long ENDPOINT_MASK = 0xFFFF;
  private static final long EMPTY = 0;

  private final PickerSettings settings;
  private final EndpointPicker fallback;
  private final double loadFactor;
  private final long[] slots;
  private final int mask;
  private final LongAdder hits = new LongAdder();
  private final LongAdder overLoad = new LongAdder();
  private final LongAdder misses = new LongAdder();

  PrefixAffinityPicker(PickerSettings settings) {
    this(settings, DEFAULT_SLOTS, DEFAULT_LOAD_FACTOR);
  }

  /**
   * @param slots table size, a power of two
   * @param loadFactor the bound's c (> 1 leaves room for affinity; 1 holds every endpoint to the
   *     mean)
   */
  public PrefixAffinityPicker(PickerSettings settings, int slots, double loadFactor) {
    if (slots < 2 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots (" + slots + ") must be a power of two >= 2");
    }
    if (!(loadFactor >= 1)) {
      throw new IllegalArgumentException("loadFactor (" + loadFactor + ") must be >= 1");
    }
    this.settings = settings;
    this.fallback = new LeastLoadedPicker(false, settings);
    this.loadFactor = loadFactor;
    this.slots = new long[slots];
    this.mask = slots - 1;
  }

  @Override
  public String name() {
    return PickerKind.PREFIX_AFFINITY.pickerName();
  }

  @Override
  public int pick(Endpoints endpoints, long requestTokens, long nowNanos) {
    misses.increment();
    return fallback.pick(endpoints, requestTokens, nowNanos);
  }

  @Override
  public int pick(Endpoints endpoints, long requestTokens, long[] prefix, int prefixLength,
      long nowNanos) {
    int n = endpoints.size();
    if (prefixLength <= 0 || n == 1) {
      return pick(endpoints, requestTokens, nowNanos);
    }
    long bound = -1; // computed on the first hit only
    boolean sawHit = false;
    for (int k = Math.min(prefixLength, prefix.length) - 1; k >= 0; k--) {
      long h = spread(prefix[k]);
      long slot = (long) SLOT.getOpaque(slots, (int) h & mask);
      if (slot == EMPTY || (slot & ~ENDPOINT_MASK) != (h & ~ENDPOINT_MASK)) {
        continue;
      }
      int e = (int) (slot & ENDPOINT_MASK);
      if (e >= n) {
        continue;
      }
      sawHit = true;
      if (bound < 0) {
        bound = bound(endpoints, n, nowNanos);
      }
      if (LoadScores.requests(endpoints, e, nowNanos, settings) <= bound) {
        hits.increment();
        return e;
      }
    }
    (sawHit ? overLoad : misses).increment();
    return fallback.pick(endpoints, requestTokens, nowNanos);
  }

  @Override
  public void dispatched(int endpoint, long[] prefix, int prefixLength) {
    int len = Math.min(prefixLength, prefix == null ? 0 : prefix.length);
    for (int k = 0; k < len; k++) {
      long h = spread(prefix[k]);
      SLOT.setOpaque(slots, (int) h & mask, (h & ~ENDPOINT_MASK) | (endpoint & ENDPOINT_MASK));
    }
  }

  /** Picks that followed a known prefix. */
  public long hits() {
    return hits.sum();
  }

  /** Picks whose known prefix endpoints were all over the load bound. */
  public long overLoad() {
    return overLoad.sum();
  }

  /** Picks with no known prefix (or none at all). */
  public long misses() {
    return misses.sum();
  }

  private long bound(Endpoints endpoints, int n, long nowNanos) {
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += Math.min(LoadScores.requests(endpoints, i, nowNanos, settings),
          LoadScores.SATURATED - 1);
    }
    return (long) Math.ceil(loadFactor * (total + 1) / n);
  }

  /** A well-mixed, never-empty key for a block hash (ids from traces may be small integers). */
  private static long spread(long id) {
    long z = id * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
    z ^= z >>> 32;
    return (z & ~ENDPOINT_MASK) == 0 ? z | (1L << 16) : z;
  }
}
