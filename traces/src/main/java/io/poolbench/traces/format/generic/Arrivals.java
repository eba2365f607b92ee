package io.poolbench.traces.format.generic;

import io.poolbench.traces.format.Ascii;
import io.poolbench.traces.format.RowException;
import java.util.Locale;

/** Parses an arrival field in a given unit, with the error message every generic reader uses. */
final class Arrivals {
  private Arrivals() {}

  static long parse(byte[] b, int start, int end, String column, ArrivalUnit unit)
      throws RowException {
    if (unit == ArrivalUnit.ISO) {
      long nanos = Ascii.parseTimestampNanos(b, start, end);
      if (nanos == Ascii.NOT_A_TIMESTAMP) {
        throw new RowException(column + " '" + Ascii.quote(b, start, end)
            + "' is not an ISO timestamp like 2024-05-10T12:00:00.5Z");
      }
      return nanos;
    }
    long nanos = Ascii.parseDecimalNanos(b, start, end, unit.nanos());
    if (nanos < 0) {
      throw new RowException(column + " '" + Ascii.quote(b, start, end)
          + "' is not a non-negative number of " + unit.name().toLowerCase(Locale.ROOT));
    }
    return nanos;
  }
}
