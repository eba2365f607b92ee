package io.poolbench.traces.prompt;

/**
 * A small, fast, non-thread-safe SplitMix64 generator (Steele, Lea and Flood 2014), written out
 * here so that synthesized text depends only on the seed, not on the JDK's generator choices.
 */
final class SplitMix {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;
  private long state;

  SplitMix(long seed) {
    this.state = seed;
  }

  /** The SplitMix64 / Murmur3 finalizer: a bijection on 64-bit values that mixes every bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GAMMA;
    return mix(state);
  }

  /** Uniform in [0, bound) (Lemire's multiply-shift; the bias is below 2^-32 for our bounds). */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  boolean chance(double p) {
    return nextDouble() < p;
  }

  <T> T pick(T[] values) {
    return values[nextInt(values.length)];
  }
}
