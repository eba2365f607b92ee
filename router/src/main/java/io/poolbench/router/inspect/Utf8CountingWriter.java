package io.poolbench.router.inspect;

import java.io.Writer;

/**
 * Receives a JSON string value's decoded chars segment by segment (Jackson's
 * {@code getText(Writer)}, which avoids joining a long value into one array) and counts their
 * UTF-8 length, offering the first chars to a {@link TextSample}. Each surrogate char counts 2
 * bytes, so a pair counts 4 however the segments split it.
 */
final class Utf8CountingWriter extends Writer {

  private long bytes;
  private TextSample sample;
  private PrefixHasher hasher;

  void reset(TextSample target, PrefixHasher prefix) {
    bytes = 0;
    sample = target;
    hasher = prefix == null ? null : prefix.reset();
  }

  long bytes() {
    return bytes;
  }

  void startValue() {
    if (sample != null) {
      sample.startValue();
    }
  }

  @Override
  public void write(char[] chars, int offset, int length) {
    if (sample != null && !sample.full()) {
      sample.offer(chars, offset, length);
    }
    if (hasher != null) {
      hasher.feed(chars, offset, length);
    }
    bytes += utf8Length(chars, offset, length);
  }

  /**
   * UTF-8 bytes of {@code chars[offset, offset + length)}, surrogates counting 2 each. ASCII text
   * takes one OR-reduction pass (which the JIT vectorizes); otherwise a branch-free count.
   */
  static long utf8Length(char[] chars, int offset, int length) {
    int end = offset + length;
    int any = 0;
    for (int i = offset; i < end; i++) {
      any |= chars[i];
    }
    if (any < 0x80) {
      return length;
    }
    int extra = 0; // at most 2 per char; Jackson hands over segments of at most 64K chars
    for (int i = offset; i < end; i++) {
      int c = chars[i];
      // +1 from U+0080, +1 more from U+0800, except surrogates (2 each: a pair makes 4)
      int surrogate = (c - 0xD800) >>> 11 == 0 ? 1 : 0;
      extra += ((0x7F - c) >>> 31) + ((0x7FF - c) >>> 31) - surrogate;
    }
    return length + extra;
  }

  @Override
  public void write(String text, int offset, int length) {
    char[] copy = text.substring(offset, offset + length).toCharArray();
    write(copy, 0, copy.length);
  }

  @Override
  public void write(int c) {
    write(new char[] {(char) c}, 0, 1);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
