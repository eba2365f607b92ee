package io.poolbench.router.inspect;

/**
 * A bounded sample of a request's prompt text for the categorizer: up to {@code perValueChars}
 * from the start of each text value, {@code capacity} in all. Reusable ({@link #clear()}), not
 * thread-safe; its size, not the prompt's, bounds the categorizer's cost.
 */
public final class TextSample {

  /** Default total sample size in chars. */
  public static final int DEFAULT_CAPACITY = 1024;
  /** Default chars taken from each text value. */
  public static final int DEFAULT_PER_VALUE = 256;

  private final char[] chars;
  private final int perValueChars;
  private int length;
  private int valueTaken;

  /** A sample of {@link #DEFAULT_CAPACITY} chars, {@link #DEFAULT_PER_VALUE} per value. */
  public TextSample() {
    this(DEFAULT_CAPACITY, DEFAULT_PER_VALUE);
  }

  public TextSample(int capacity, int perValueChars) {
    if (capacity < 0 || perValueChars < 0) {
      throw new IllegalArgumentException(
          "capacity (" + capacity + ") and perValueChars (" + perValueChars + ") must be >= 0");
    }
    this.chars = new char[capacity];
    this.perValueChars = perValueChars;
  }

  public TextSample clear() {
    length = 0;
    valueTaken = 0;
    return this;
  }

  /** Marks the start of a new text value (its first chars are sampled again). */
  void startValue() {
    valueTaken = 0;
  }

  /** Offers chars of the current value; keeps what fits the per-value and total bounds. */
  void offer(char[] source, int offset, int count) {
    int take = Math.min(count, Math.min(perValueChars - valueTaken, chars.length - length));
    if (take > 0) {
      System.arraycopy(source, offset, chars, length, take);
      length += take;
      valueTaken += take;
    }
  }

  /** Offers the chars of a string (for callers that have the text already). */
  public TextSample append(CharSequence text) {
    startValue();
    int take = Math.min(text.length(), Math.min(perValueChars, chars.length - length));
    for (int i = 0; i < take; i++) {
      chars[length++] = text.charAt(i);
    }
    return this;
  }

  /** True when no more chars fit. */
  boolean full() {
    return length >= chars.length;
  }

  public int length() {
    return length;
  }

  public char charAt(int index) {
    if (index >= length) {
      throw new IndexOutOfBoundsException(index);
    }
    return chars[index];
  }

  @Override
  public String toString() {
    return new String(chars, 0, length);
  }
}
