package io.poolbench.traces.format;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a reader does when a row's timestamp is earlier than the previous row's
 * ({@code --on-unordered}). The default is {@link #FAIL}: a trace's order is never changed
 * without the user asking.
 */
public enum OnUnordered {
  /** Stop with {@code file:line: TIMESTAMP ... is earlier than the previous row's} (default). */
  FAIL,
  /**
   * Keep file order: an early row arrives at the same time as the previous one (its arrival is
   * raised to the previous arrival), so arrivals stay non-decreasing and no row moves.
   */
  KEEP,
  /** Sort rows by timestamp (stable). Holds the whole trace in memory: for small traces. */
  SORT;

  /** Maps {@code fail}, {@code keep} or {@code sort} (any case) to the constant. */
  public static OnUnordered named(String name) {
    for (OnUnordered value : values()) {
      if (value.name().equalsIgnoreCase(name.trim())) {
        return value;
      }
    }
    throw new BadInputException("Unknown --on-unordered '" + name + "': expected one of "
        + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", ")));
  }
}
