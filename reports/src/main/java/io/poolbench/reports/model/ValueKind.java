package io.poolbench.reports.model;

import java.util.Locale;

/** How a figure is written for people (always {@link Locale#US}); CSV writes raw numbers. */
public enum ValueKind {
  /** A count: {@code 12,345}. */
  INTEGER,
  /** A rate or ratio: {@code 48.43}. */
  DECIMAL,
  /** A small per-GPU rate: {@code 0.2328}. */
  PRECISE,
  /** Milliseconds, precision by magnitude: {@code 8.16}, {@code 74.2}, {@code 5,370}. */
  MILLIS,
  /** Dollars: {@code $4,021,000}, {@code −$9,328}. */
  MONEY,
  /** A fraction shown as a percentage: {@code 41.9%}. */
  PERCENT,
  /** 1 or 0 shown as yes or no. */
  YES_NO;

  /** The human text of {@code v}; an em dash when missing. */
  public String format(Double v) {
    if (v == null || v.isNaN()) {
      return "—";
    }
    double x = v;
    return switch (this) {
      case INTEGER -> String.format(Locale.US, "%,d", Math.round(x));
      case DECIMAL -> String.format(Locale.US, "%,.2f", x);
      case PRECISE -> String.format(Locale.US, "%,.4f", x);
      case MILLIS -> Math.abs(x) >= 1000 ? String.format(Locale.US, "%,.0f", x)
          : Math.abs(x) >= 100 ? String.format(Locale.US, "%.1f", x)
          : String.format(Locale.US, "%.2f", x);
      case MONEY -> x < 0 ? String.format(Locale.US, "−$%,.0f", -x)
          : String.format(Locale.US, "$%,.0f", x);
      case PERCENT -> String.format(Locale.US, "%.1f%%", x * 100);
      case YES_NO -> x >= 0.5 ? "yes" : "no";
    };
  }

  /** The machine text of {@code v} for CSV: plain digits, no grouping; empty when missing. */
  public String raw(Double v) {
    if (v == null || v.isNaN()) {
      return "";
    }
    if (this == INTEGER || this == YES_NO) {
      return Long.toString(Math.round(v));
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(8))
        .stripTrailingZeros().toPlainString();
  }
}
