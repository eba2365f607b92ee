package io.poolbench.harness.mock;

/** Number formatting of the Prometheus text format as Python's client writes it. */
final class PromText {
  private PromText() {}

  /** {@code 8.0}, {@code 0.001}, {@code 2560.0}, {@code 1.5e-05}. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return (long) v + ".0";
    }
    return Double.toString(v).replace("E", "e");
  }
}
