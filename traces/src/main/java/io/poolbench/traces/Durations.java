package io.poolbench.traces;

import java.time.Duration;

/** Parses durations written the way operators write them: {@code 90s}, {@code 10m}, {@code 1h30m}. */
public final class Durations {

  /** The accepted grammar, quoted in error messages. */
  public static final String GRAMMAR =
      "a number followed by a unit, units h, m, s, ms, us or ns, e.g. 90s, 10m, 1h30m, 250ms, 1.5s"
          + " (a bare number means seconds)";

  private Durations() {}

  /**
   * Parses {@code text} into a duration.
   *
   * @throws BadInputException naming the text and the grammar when it is not a duration
   */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.strip().replace("_", "");
    if (s.isEmpty()) {
      throw bad(text);
    }
    if (isNumber(s)) {
      return ofSeconds(Double.parseDouble(s), text);
    }
    long totalNanos = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      if (start == unitStart || unitStart == i || !isNumber(s.substring(start, unitStart))) {
        throw bad(text);
      }
      double value = Double.parseDouble(s.substring(start, unitStart));
      long unitNanos = switch (s.substring(unitStart, i).toLowerCase(java.util.Locale.ROOT)) {
        case "h" -> 3_600_000_000_000L;
        case "m", "min" -> 60_000_000_000L;
        case "s" -> 1_000_000_000L;
        case "ms" -> 1_000_000L;
        case "us" -> 1_000L;
        case "ns" -> 1L;
        default -> throw bad(text);
      };
      double nanos = value * unitNanos;
      if (nanos >= Long.MAX_VALUE - totalNanos) {
        throw new BadInputException("Duration '" + text + "' is too long: at most 292 years");
      }
      totalNanos += Math.round(nanos);
    }
    return Duration.ofNanos(totalNanos);
  }

  private static boolean isNumber(String s) {
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        dots++;
      } else if (!Character.isDigit(c)) {
        return false;
      }
    }
    return dots <= 1 && !s.equals(".");
  }

  private static Duration ofSeconds(double seconds, String text) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      throw bad(text);
    }
    if (seconds * 1e9 >= Long.MAX_VALUE) {
      throw new BadInputException("Duration '" + text + "' is too long: at most 292 years");
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  private static BadInputException bad(String text) {
    return new BadInputException("Bad duration '" + text + "': expected " + GRAMMAR);
  }
}
