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

  void reset(TextSample target) {
    bytes = 0;
    sample = target;
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
    long n = length;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      char c = chars[i];
      if (c >= 0x80) {
        n += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
      }
    }
    bytes += n;
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
