package io.poolbench.loadgen;

import io.poolbench.traces.BadInputException;

/** Reads the load generator's {@code -Dpoolbench.loadgen.*} tuning properties. */
public final class TuningProperty {

  private TuningProperty() {}

  /**
   * The whole number that property {@code name} is set to ({@code value}), or {@code fallback}
   * when it is unset or blank.
   *
   * @param max the largest value taken (a larger one is refused like a malformed one)
   * @param unit what the number counts, for the error
   * @throws BadInputException naming the property, its value and the expected form when the value
   *     is not a whole number from {@code min} to {@code max}
   */
  public static long wholeNumber(String name, String value, long min, long max, long fallback,
      String unit) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new BadInputException("-D" + name + "=" + value + ": expected a whole number of " + unit
        + " >= " + min);
  }
}
