package io.poolbench.traces;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the numbers and durations users type in flags and config: numbers may group digits with
 * underscores ({@code 1_000}); durations are one or more number-unit pairs ({@code 90s},
 * {@code 10m}, {@code 1h30m}, {@code 250ms}, {@code 1.5s}). Bad values fail with the grammar.
 */
public final class Quantities {
  /** The duration grammar, as error messages show it. */
  public static final String DURATION_GRAMMAR =
      "a duration like 90s, 10m, 1h30m or 250ms (units h, m, s, ms, us, ns)";

  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d[\\d_]*(?:\\.\\d+)?)(h|ms|m|s|us|ns)");

  private Quantities() {}

  /**
   * Parses a duration into nanoseconds.
   *
   * @param what the flag or key, for the error message (e.g. {@code --duration})
   */
  public static long durationNanos(String text, String what) {
    String s = text == null ? "" : text.strip();
    Matcher m = DURATION_PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      BigDecimal amount = new BigDecimal(m.group(1).replace("_", ""));
      long unit = switch (m.group(2)) {
        case "h" -> 3_600_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "s" -> 1_000_000_000L;
        case "ms" -> 1_000_000L;
        case "us" -> 1_000L;
        default -> 1L;
      };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (s.isEmpty() || at != s.length() || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new BadInputException(what + " '" + text + "' is not " + DURATION_GRAMMAR);
    }
    return nanos.longValue();
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
