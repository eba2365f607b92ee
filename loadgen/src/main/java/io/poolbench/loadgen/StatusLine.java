package io.poolbench.loadgen;

import java.util.Locale;

/**
 * The live status line on stderr. Rates are over the last interval, not since the start, so that a
 * stall or a catch-up shows in the line where it happens; the run's position is elapsed over the
 * total planned time (the last row's offset), and after the last send the line says it is
 * draining until the last response is in.
 */
final class StatusLine {

  /** Counters at one status tick. */
  record Tick(long nanos, long due, long sent, long ok, long errors) {}

  private Tick previous;

  /** @param start the counters at the start (all zero, at offset 0) */
  StatusLine(Tick start) {
    this.previous = start;
  }

  /**
   * The line for {@code now}, and {@code now} becomes the start of the next interval.
   *
   * @param plannedSpanNanos the last row's planned offset, or -1 while unknown
   * @param draining true once every row has been handed on (sent or not)
   * @param ttftP50Ms headline TTFT p50 so far (NaN: none)
   */
  String next(Tick now, long plannedSpanNanos, boolean draining, long inFlight, double ttftP50Ms,
      double ttftP99Ms, double sendLagP99Ms) {
    String line = format(previous, now, plannedSpanNanos, draining, inFlight, ttftP50Ms, ttftP99Ms,
        sendLagP99Ms);
    previous = now;
    return line;
  }

  /** The status line for the interval from {@code from} to {@code to}. */
  static String format(Tick from, Tick to, long plannedSpanNanos, boolean draining, long inFlight,
      double ttftP50Ms, double ttftP99Ms, double sendLagP99Ms) {
    double interval = Math.max(1, to.nanos() - from.nanos()) / 1e9;
    String position = plannedSpanNanos >= 0
        ? String.format(Locale.US, "%s / %s", clock(to.nanos()), clock(plannedSpanNanos))
        : String.format(Locale.US, "%s / ?", clock(to.nanos()));
    StringBuilder sb = new StringBuilder();
    sb.append('[').append(position).append("] ");
    if (draining) {
      sb.append("draining, ");
    }
    sb.append(String.format(Locale.US, "last %.1fs: due %.1f req/s, sent %.1f req/s, done %.1f req/s",
        interval, (to.due() - from.due()) / interval, (to.sent() - from.sent()) / interval,
        ((to.ok() + to.errors()) - (from.ok() + from.errors())) / interval));
    sb.append(String.format(Locale.US, " | in flight %,d | ok %,d, errors %,d", inFlight, to.ok(),
        to.errors()));
    sb.append(" | TTFT p50 ").append(ms(ttftP50Ms)).append(", p99 ").append(ms(ttftP99Ms));
    sb.append(" | send lag p99 ").append(ms(sendLagP99Ms));
    return sb.toString();
  }

  private static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v < 10 ? String.format(Locale.US, "%.1f ms", v) : String.format(Locale.US, "%,.0f ms", v);
  }

  /** m:ss.s (or h:mm:ss past an hour). */
  static String clock(long nanos) {
    double s = Math.max(0, nanos) / 1e9;
    long whole = (long) s;
    if (whole >= 3600) {
      return String.format(Locale.US, "%d:%02d:%02d", whole / 3600, (whole / 60) % 60, whole % 60);
    }
    return String.format(Locale.US, "%d:%04.1f", whole / 60, s - (whole / 60) * 60);
  }
}
