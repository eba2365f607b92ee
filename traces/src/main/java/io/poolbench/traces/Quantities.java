package io.poolbench.traces;

/**
 * Parses the numbers and durations users type in flags and config: numbers may group digits with
 * underscores ({@code 1_000}); durations follow {@link Durations} ({@code 90s}, {@code 10m},
 * {@code 1h30m}, {@code 250ms}, {@code 1.5s}). Bad values fail naming the flag and the grammar.
 */
public final class Quantities {
  /** The duration grammar, as error messages show it. */
  public static final String DURATION_GRAMMAR =
      "a duration like 90s, 10m, 1h30m, 250ms or 1.5s (units h, m, s, ms, us, ns; a bare "
          + "number means seconds)";

  private Quantities() {}

  /**
   * Parses a duration ({@link Durations} grammar) into nanoseconds.
   *
   * @param what the flag or key, for the error message (e.g. {@code --duration})
   */
  public static long durationNanos(String text, String what) {
    try {
      return Durations.parse(text).toNanos();
    } catch (BadInputException | ArithmeticException e) {
      throw new BadInputException(what + " '" + text + "' is not " + DURATION_GRAMMAR, e);
    }
  }

  /** Parses a whole number ≥ {@code min}, allowing {@code 1_000}. */
  public static long longAtLeast(String text, long min, String what) {
    String s = text == null ? "" : text.strip().replace("_", "");
    try {
      long value = Long.parseLong(s);
      if (value >= min && !s.startsWith("+")) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException(what + " '" + text + "' is not a whole number >= " + min
        + " (digits, optionally grouped like 1_000)");
  }

  /** Parses a finite decimal number &gt; 0, allowing {@code 1_000.5}. */
  public static double positive(String text, String what) {
    String s = text == null ? "" : text.strip().replace("_", "");
    try {
      double value = Double.parseDouble(s);
      if (value > 0 && Double.isFinite(value) && !s.endsWith("d") && !s.endsWith("f")
          && !s.endsWith("D") && !s.endsWith("F")) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException(what + " '" + text + "' is not a number > 0 (like 2.5 or 1_000)");
  }
}
