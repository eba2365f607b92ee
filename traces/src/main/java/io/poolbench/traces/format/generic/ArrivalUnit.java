package io.poolbench.traces.format.generic;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The unit of a generic trace's arrival column ({@code --arrival-unit}). */
public enum ArrivalUnit {
  /** Decimal seconds. */
  S(1_000_000_000L),
  /** Decimal milliseconds. */
  MS(1_000_000L),
  /** Decimal microseconds. */
  US(1_000L),
  /** Integer nanoseconds. */
  NS(1L),
  /** An ISO-8601 timestamp such as {@code 2024-05-10T12:00:00.5Z}. */
  ISO(0L);

  private final long nanos;

  ArrivalUnit(long nanos) {
    this.nanos = nanos;
  }

  /** Nanoseconds per unit (0 for {@link #ISO}). */
  public long nanos() {
    return nanos;
  }

  /** Maps {@code s}, {@code ms}, {@code us}, {@code ns} or {@code iso} (any case). */
  public static ArrivalUnit named(String name) {
    for (ArrivalUnit unit : values()) {
      if (unit.name().equalsIgnoreCase(name.trim())) {
        return unit;
      }
    }
    throw new BadInputException("Unknown arrival unit '" + name + "': expected one of "
        + Arrays.stream(values()).map(u -> u.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", ")));
  }
}
