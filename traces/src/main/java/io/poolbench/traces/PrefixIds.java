package io.poolbench.traces;

/**
 * Mooncake-style prefix-block ids, as the built-in prefix workloads and the generic readers
 * derive them: one id per {@value #BLOCK_TOKENS} prompt tokens, from a 64-bit key that names the
 * shared text (a system prompt, a session) and the block's index within the prompt. Equal key and
 * index give equal ids; the mix (the SplitMix64 finalizer, Steele, Lea and Flood 2014) makes ids
 * of different keys or indices collide with probability about 2^-62 per pair.
 *
 * <p>Ids are non-negative and below 2^62, so that a JSONL writer and reader keep them exactly.
 */
public final class PrefixIds {

  /** Prompt tokens per id (Mooncake's block size). */
  public static final int BLOCK_TOKENS = io.poolbench.traces.prompt.PromptSynthesizer.BLOCK_TOKENS;

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private PrefixIds() {}

  /** Number of blocks (ids) that cover {@code tokens} prompt tokens: ceil(tokens / 512). */
  public static int blocks(int tokens) {
    return (int) ((tokens + (long) BLOCK_TOKENS - 1) / BLOCK_TOKENS);
  }

  /** Number of full blocks in {@code tokens} tokens: floor(tokens / 512). */
  public static int fullBlocks(int tokens) {
    return tokens / BLOCK_TOKENS;
  }

  /** The SplitMix64 / Murmur3 finalizer: a bijection on 64-bit values that mixes every bit. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The id of block {@code block} of the text that {@code key} names (in [0, 2^62)). */
  public static long id(long key, long block) {
    return mix(mix(key) + block * GOLDEN_GAMMA) >>> 2;
  }

  /**
   * A 64-bit key for a name within a domain (such as {@code "session"} and the session's id):
   * FNV-1a 64 over the UTF-8 bytes of the domain, a zero byte and the name, then {@link #mix}.
   * Unlike {@link String#hashCode()}, distinct names collide only with probability about 2^-64.
   */
  public static long key(String domain, String name) {
    long h = fnv(FNV_OFFSET, domain);
    h = (h ^ 0) * FNV_PRIME;
    return mix(fnv(h, name));
  }

  /** FNV-1a over the UTF-8 encoding of {@code s}, without allocating. */
  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c < 0x80) {
        h = (h ^ c) * FNV_PRIME;
      } else if (c < 0x800) {
        h = (h ^ (0xC0 | (c >> 6))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      } else if (c < 0x10000) {
        h = (h ^ (0xE0 | (c >> 12))) * FNV_PRIME;
        h = (h ^ (0x80 | ((c >> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      } else {
        h = (h ^ (0xF0 | (c >> 18))) * FNV_PRIME;
        h = (h ^ (0x80 | ((c >> 12) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | ((c >> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      }
    }
    return h;
  }
}
