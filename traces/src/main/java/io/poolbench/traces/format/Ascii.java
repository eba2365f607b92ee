package io.poolbench.traces.format;

import java.nio.charset.StandardCharsets;

/**
 * Allocation-free parsers for the numbers and timestamps of trace rows, working on byte ranges.
 * Each returns a sentinel instead of throwing, so that the hot path never builds exceptions; the
 * caller turns the sentinel into a {@code file:line} message.
 */
public final class Ascii {
  /** Returned by {@link #parseTimestampNanos} for text that is not a timestamp. */
  public static final long NOT_A_TIMESTAMP = Long.MIN_VALUE;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
    1_000_000_000L
  };

  private Ascii() {}

  /**
   * Parses a non-negative decimal integer that fits an int; surrounding spaces and double quotes
   * are ignored.
   *
   * @return the value, or -1 when the text is empty, not all digits, negative or too large
   */
  public static int parseCount(byte[] b, int start, int end) {
    while (start < end && (b[start] == ' ' || b[start] == '"')) {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '"')) {
      end--;
    }
    if (start == end || end - start > 10) {
      return -1;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value > Integer.MAX_VALUE ? -1 : (int) value;
  }

  /**
   * Parses a non-negative decimal number such as {@code 12}, {@code 0.25} or {@code 3.}
   * expressed in a unit of {@code unitNanos} nanoseconds, exactly (digits finer than 1 ns are
   * dropped).
   *
   * @return nanoseconds, or -1 when the text is not a non-negative decimal or overflows
   */
  public static long parseDecimalNanos(byte[] b, int start, int end, long unitNanos) {
    while (start < end && (b[start] == ' ' || b[start] == '"')) {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '"')) {
      end--;
    }
    if (start == end) {
      return -1;
    }
    long whole = 0;
    int i = start;
    int digits = 0;
    for (; i < end && b[i] != '.'; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9 || whole > Long.MAX_VALUE / 10) {
        return -1;
      }
      whole = whole * 10 + d;
      digits++;
    }
    if (whole > Long.MAX_VALUE / unitNanos) {
      return -1;
    }
    long nanos = whole * unitNanos;
    if (i < end) {
      i++; // the dot
      long scale = unitNanos;
      for (; i < end; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          return -1;
        }
        scale /= 10;
        nanos += d * scale;
        digits++;
      }
    }
    return digits == 0 || nanos < 0 ? -1 : nanos;
  }

  /**
   * Parses {@code YYYY-MM-DD HH:MM:SS[.f...][zone]} (a space or {@code T} between date and time,
   * 0 to 9 fraction digits, zone absent, {@code Z}, {@code +HH:MM}, {@code -HH:MM} or
   * {@code +HHMM}) into nanoseconds since 1970-01-01T00:00Z; no zone means UTC. Covers the Azure
   * 2023 ({@code 2023-11-16 18:17:03.9799600}), 2024 ({@code ...+00:00}) and 2025 ({@code ...Z})
   * spellings.
   *
   * @return epoch nanoseconds, or {@link #NOT_A_TIMESTAMP}
   */
  public static long parseTimestampNanos(byte[] b, int start, int end) {
    while (start < end && (b[start] == ' ' || b[start] == '"')) {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '"')) {
      end--;
    }
    if (end - start < 19) {
      return NOT_A_TIMESTAMP;
    }
    int s = start;
    int year = digits(b, s, 4);
    int month = digits(b, s + 5, 2);
    int day = digits(b, s + 8, 2);
    int hour = digits(b, s + 11, 2);
    int minute = digits(b, s + 14, 2);
    int second = digits(b, s + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || b[s + 4] != '-' || b[s + 7] != '-' || (b[s + 10] != ' ' && b[s + 10] != 'T')
        || b[s + 13] != ':' || b[s + 16] != ':') {
      return NOT_A_TIMESTAMP;
    }
    int i = s + 19;
    long fraction = 0;
    if (i < end && b[i] == '.') {
      i++;
      int fractionDigits = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        if (fractionDigits < 9) {
          fraction = fraction * 10 + (b[i] - '0');
        }
        fractionDigits++;
        i++;
      }
      if (fractionDigits == 0) {
        return NOT_A_TIMESTAMP;
      }
      if (fractionDigits < 9) {
        fraction *= POW10[9 - fractionDigits];
      }
    }
    long offsetSeconds = 0;
    if (i < end) {
      if (b[i] == 'Z' && i + 1 == end) {
        i++;
      } else if (b[i] == '+' || b[i] == '-') {
        int sign = b[i] == '-' ? -1 : 1;
        int zoneHours = digits(b, i + 1, 2);
        int minutesAt = i + 3 < end && b[i + 3] == ':' ? i + 4 : i + 3;
        int zoneMinutes = digits(b, minutesAt, 2);
        if (zoneHours < 0 || zoneHours > 18 || zoneMinutes < 0 || zoneMinutes > 59
            || minutesAt + 2 != end) {
          return NOT_A_TIMESTAMP;
        }
        offsetSeconds = sign * (zoneHours * 3600L + zoneMinutes * 60L);
        i = end;
      } else {
        return NOT_A_TIMESTAMP;
      }
    }
    long epochSeconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L
        + second - offsetSeconds;
    return epochSeconds * NANOS_PER_SECOND + fraction;
  }

  /** Parses {@code count} ASCII digits at {@code at}, or returns -1. */
  private static int digits(byte[] b, int at, int count) {
    if (at + count > b.length) {
      return -1;
    }
    int value = 0;
    for (int i = at; i < at + count; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-date algorithm). */
  static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  /** Decodes a byte range as UTF-8, without surrounding spaces or double quotes. */
  public static String text(byte[] b, int start, int end) {
    while (start < end && (b[start] == ' ' || b[start] == '"')) {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '"')) {
      end--;
    }
    return new String(b, start, end - start, StandardCharsets.UTF_8);
  }

  /** A byte range as text for an error message: at most 60 characters. */
  public static String quote(byte[] b, int start, int end) {
    String text = new String(b, start, Math.min(end - start, 60), StandardCharsets.UTF_8);
    return end - start > 60 ? text + "..." : text;
  }
}
