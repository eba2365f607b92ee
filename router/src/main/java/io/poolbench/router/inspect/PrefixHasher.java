package io.poolbench.router.inspect;

import io.poolbench.traces.PrefixIds;

/**
 * Turns a prompt's text into a chain of block hashes for prefix-affinity routing, with no
 * tokenizer: the text is cut into blocks of {@code blockChars} chars (2,048 by default, about 512
 * tokens of English) and block k's hash mixes block k − 1's hash with the block's chars, so equal
 * hashes at depth k mean (with high probability) equal text up to the end of block k. Only full
 * blocks count, as in vLLM's prefix cache, and at most {@code maxBlocks} of them.
 *
 * <p>To stay cheap on the hot path the hash reads every {@value #STRIDE}th char of a block (64
 * chars of a full block) plus the block's last char, not all of them: two prompts that differ only
 * between sampled positions of a block hash alike there. That only makes the router prefer an
 * endpoint whose cache holds a near-identical prefix; the engine's own cache is exact.
 *
 * <p>Fed segment by segment (the inspector's writer hands it Jackson's decoded chars as they come,
 * across all prompt strings and message contents in order). Not thread-safe: one per thread,
 * {@link #reset()} before each request. Allocation-free after construction.
 */
public final class PrefixHasher {

  /** Chars per block by default. */
  public static final int DEFAULT_BLOCK_CHARS = 2048;
  /** Blocks kept at most by default (64 K chars, about 16 K tokens). */
  public static final int DEFAULT_MAX_BLOCKS = 32;
  /** Sampling stride in chars. */
  static final int STRIDE = 32;

  private static final long SEED = 0x243F6A8885A308D3L;
  private static final long M = 0x9E3779B97F4A7C15L;

  private final int blockChars;
  private final long[] blocks;
  private int count;
  private int filled;
  private long lane;

  public PrefixHasher() {
    this(DEFAULT_BLOCK_CHARS, DEFAULT_MAX_BLOCKS);
  }

  /**
   * @param blockChars chars per block, a multiple of {@value #STRIDE} and at least 64
   * @param maxBlocks blocks kept at most (≥ 1)
   */
  public PrefixHasher(int blockChars, int maxBlocks) {
    if (blockChars < 64 || blockChars % STRIDE != 0) {
      throw new IllegalArgumentException(
          "blockChars (" + blockChars + ") must be a multiple of " + STRIDE + " and >= 64");
    }
    if (maxBlocks < 1) {
      throw new IllegalArgumentException("maxBlocks (" + maxBlocks + ") must be >= 1");
    }
    this.blockChars = blockChars;
    this.blocks = new long[maxBlocks];
    reset();
  }

  /** Forgets the previous prompt. */
  public PrefixHasher reset() {
    count = 0;
    filled = 0;
    lane = SEED;
    return this;
  }

  /** Feeds {@code chars[offset, offset + length)}, the next chars of the prompt. */
  public void feed(char[] chars, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end && count < blocks.length) {
      int take = Math.min(blockChars - filled, end - i);
      // sampled positions q (multiples of STRIDE) inside [filled, filled + take)
      int q = (filled + STRIDE - 1) / STRIDE * STRIDE;
      long h = lane;
      for (int limit = filled + take; q < limit; q += STRIDE) {
        h = (h ^ chars[i + q - filled]) * M;
      }
      filled += take;
      i += take;
      if (filled == blockChars) {
        h = (h ^ chars[i - 1]) * M;
        long parent = count == 0 ? SEED : blocks[count - 1];
        blocks[count++] = PrefixIds.mix(parent ^ h);
        h = SEED;
        filled = 0;
      }
      lane = h;
    }
  }

  /** Feeds a whole string (tests and tools; the hot path feeds char arrays). */
  public PrefixHasher feed(String text) {
    char[] c = text.toCharArray();
    feed(c, 0, c.length);
    return this;
  }

  /** The block hashes so far, in order; valid up to {@link #count()}. */
  public long[] blocks() {
    return blocks;
  }

  /** Full blocks hashed so far. */
  public int count() {
    return count;
  }

  /** Chars per block. */
  public int blockChars() {
    return blockChars;
  }
}
