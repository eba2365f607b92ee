package io.poolbench.traces;

import java.util.Locale;

/**
 * A fingerprint of a trace as replayed: FNV-1a (64-bit) over every request's arrival offset,
 * prompt tokens, output tokens and max_tokens, in order. Two runs with the same digest replayed the
 * same requests at the same times. Not thread-safe.
 */
public final class TraceDigest {
  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private long hash = OFFSET_BASIS;
  private long requests;

  /** Adds one request. */
  public void add(TraceRequest r) {
    hash = mix(hash, r.arrivalNanos());
    hash = mix(hash, r.promptTokens());
    hash = mix(hash, r.outputTokens());
    hash = mix(hash, r.maxTokens());
    requests++;
  }

  /** Requests added so far. */
  public long requests() {
    return requests;
  }

  /** {@code fnv1a64:<16 hex digits>}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "fnv1a64:%016x", hash);
  }

  private static long mix(long h, long v) {
    for (int i = 0; i < 8; i++) {
      h ^= (v >>> (8 * i)) & 0xff;
      h *= PRIME;
    }
    return h;
  }
}
