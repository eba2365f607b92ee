package io.poolbench.reports.rundir;

import org.HdrHistogram.Histogram;

/**
 * The latency metrics of a run, their histogram tag in {@code latency.hlog} and their JSON key in
 * {@code summary.json}. Every histogram records microseconds from 1 µs to 1 hour with 3
 * significant digits; values outside are clamped.
 */
public enum LatencyMetric {
  /** Time to first token: arrival (planned send) to the first output token. */
  TTFT("ttft"),
  /** Time per output token: (e2e − ttft) / (output tokens − 1), per request. */
  TPOT("tpot"),
  /** Inter-token latency: the gap before each output token after the first. */
  ITL("itl"),
  /** End to end: arrival to the last token (or to the error). */
  E2E("e2e"),
  /** Queue time: arrival to the first scheduling step. */
  QUEUE("queue");

  /** Histogram lower bound, in microseconds. */
  public static final long LOWEST_MICROS = 1;
  /** Histogram upper bound, in microseconds (one hour). */
  public static final long HIGHEST_MICROS = 3_600_000_000L;
  /** Histogram precision. */
  public static final int SIGNIFICANT_DIGITS = 3;

  private final String tag;

  LatencyMetric(String tag) {
    this.tag = tag;
  }

  /** The tag in latency.hlog (no commas or spaces). */
  public String tag() {
    return tag;
  }

  /** The key in summary.json, e.g. {@code ttft_ms}. */
  public String jsonKey() {
    return tag + "_ms";
  }

  /** A new empty histogram with the run-directory bounds, tagged with this metric. */
  public Histogram newHistogram() {
    Histogram h = new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    h.setTag(tag);
    return h;
  }

  /** Converts nanoseconds to the histogram unit, clamped into the histogram's range. */
  public static long clampMicros(long nanos) {
    long micros = nanos / 1000;
    return Math.max(LOWEST_MICROS, Math.min(HIGHEST_MICROS, micros));
  }
}
