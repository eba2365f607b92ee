package io.poolbench.reports.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear or base-10 logarithmic axis: maps data values to pixels and picks readable ticks
 * (1, 2, 5 × 10^k steps; decades with 2 and 5 between when a log axis spans few decades).
 */
final class Axis {
  final boolean log;
  final double min;
  final double max;
  private final double pixelFrom;
  private final double pixelTo;

  private Axis(boolean log, double min, double max, double pixelFrom, double pixelTo) {
    this.log = log;
    this.min = min;
    this.max = max;
    this.pixelFrom = pixelFrom;
    this.pixelTo = pixelTo;
  }

  /** An axis over [lo, hi] drawn from pixel {@code from} to pixel {@code to}. */
  static Axis of(boolean log, double lo, double hi, double from, double to) {
    if (log) {
      lo = lo > 0 ? lo : 1e-3;
      hi = Math.max(hi, lo * 10);
      return new Axis(true, niceDown(lo), niceUp(hi), from, to);
    }
    if (!(hi > lo)) {
      hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 0.1);
    }
    double step = niceStep((hi - lo) / 5);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    return new Axis(false, lo, hi, from, to);
  }

  /** The largest 1, 2 or 5 × 10^k at most {@code v} (v > 0). */
  static double niceDown(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    double f = v / p;
    return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
  }

  /** The smallest 1, 2 or 5 × 10^k at least {@code v} (v > 0). */
  static double niceUp(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    double f = v / p;
    return (f <= 1 + 1e-9 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }

  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }

  /** The pixel of {@code v}, clamped into the axis. */
  double pixel(double v) {
    double t;
    if (log) {
      double x = Math.max(v, min);
      t = (Math.log10(x) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
    } else {
      t = (v - min) / (max - min);
    }
    t = Math.max(0, Math.min(1, t));
    return pixelFrom + t * (pixelTo - pixelFrom);
  }

  /** Tick values, ascending. */
  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    if (log) {
      boolean fine = Math.log10(max / min) <= 3;
      double[] mult = fine ? new double[] {1, 2, 5} : new double[] {1};
      for (double d = Math.pow(10, Math.floor(Math.log10(min))); d <= max * 1.0001; d *= 10) {
        for (double m : mult) {
          double t = d * m;
          if (t >= min * 0.9999 && t <= max * 1.0001) {
            ticks.add(t);
          }
        }
      }
      return ticks;
    }
    double step = niceStep((max - min) / 5);
    for (double v = min; v <= max + step * 1e-6; v += step) {
      ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return ticks;
  }

  /** A short tick label: 0.5, 20, 1.5k, 2M. */
  static String label(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return trim(v / 1e6) + "M";
    }
    if (a >= 1e4) {
      return trim(v / 1e3) + "k";
    }
    if (a >= 1000) {
      return String.format(Locale.US, "%,.0f", v);
    }
    return trim(v);
  }

  private static String trim(double v) {
    String s = String.format(Locale.US, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
