package io.poolbench.traces.format;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a reader does with a malformed row ({@code --on-bad-row}). */
public enum OnBadRow {
  /** Stop with {@code file:line: what is wrong} (the default). */
  FAIL,
  /** Skip the row and count it; the count is reported as {@code skipped_rows}. */
  SKIP;

  /** Maps {@code fail} or {@code skip} (any case) to the constant. */
  public static OnBadRow named(String name) {
    for (OnBadRow value : values()) {
      if (value.name().equalsIgnoreCase(name.trim())) {
        return value;
      }
    }
    throw new BadInputException("Unknown --on-bad-row '" + name + "': expected one of "
        + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", ")));
  }
}
