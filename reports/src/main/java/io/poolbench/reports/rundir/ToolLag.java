package io.poolbench.reports.rundir;

import java.util.Locale;

/**
 * The load generator's own lag, in words: one line for the console and the report, and the rule
 * that says when the run's tail latencies include the tool. Latencies count from each row's
 * planned send time, so every millisecond the loadgen sends late is a millisecond of TTFT and
 * E2E; once its lag p99 is above both 1 ms and 1% of the measured TTFT p50, the tail figures are
 * partly the tool's.
 */
public final class ToolLag {

  /** The floor of the warning threshold, in ms. */
  public static final double FLOOR_MS = 1.0;

  /** The fraction of the TTFT p50 that the lag p99 may reach before the warning. */
  public static final double TTFT_FRACTION = 0.01;

  /** The warning's text. */
  public static final String WARNING = "tail figures include the tool's own lag";

  private ToolLag() {}

  /** The lag p99 above which a run warns: max(1 ms, 1% of its TTFT p50), in ms. */
  public static double thresholdMs(double ttftP50Ms) {
    double fraction = Double.isFinite(ttftP50Ms) && ttftP50Ms > 0 ? ttftP50Ms * TTFT_FRACTION : 0;
    return Math.max(FLOOR_MS, fraction);
  }

  /** True when a send lag p99 of {@code lagP99Ms} exceeds {@link #thresholdMs}. */
  public static boolean tailIncludesTool(double lagP99Ms, double ttftP50Ms) {
    return lagP99Ms > thresholdMs(ttftP50Ms);
  }

  /** True when the run has a send lag (a live run) and it exceeds the threshold. */
  public static boolean tailIncludesTool(Summary s) {
    if (s.sendLagMs() == null || s.sendLagMs().count() == 0) {
      return false;
    }
    double ttftP50 = s.ttftMs() == null || s.ttftMs().count() == 0 ? 0 : s.ttftMs().p50();
    return tailIncludesTool(s.sendLagMs().p99(), ttftP50);
  }

  /**
   * "send lag: p50 0.2 ms, p99 0.9 ms, max 2.3 ms", "n/a (simulated)" for a simulation, "none
   * measured" for a live run that sent nothing.
   */
  public static String describe(Summary s, boolean simulated) {
    if (simulated) {
      return "n/a (simulated)";
    }
    LatencySummary lag = s.sendLagMs();
    if (lag == null) {
      return "not recorded";
    }
    if (lag.count() == 0) {
      return "none measured (no request sent)";
    }
    return String.format(Locale.US, "p50 %s, p99 %s, p99.9 %s, max %s (mean %s, %,d requests)",
        ms(lag.p50()), ms(lag.p99()), ms(lag.p999()), ms(lag.max()), ms(lag.mean()), lag.count());
  }

  /** The warning sentence for {@code s}, or null when it does not warn. */
  public static String warning(Summary s) {
    if (!tailIncludesTool(s)) {
      return null;
    }
    double ttftP50 = s.ttftMs() == null ? 0 : s.ttftMs().p50();
    return String.format(Locale.US, "%s: send lag p99 %s is above %s (the larger of 1 ms and 1%% "
        + "of TTFT p50 %s); give the loadgen more CPU or a quieter machine, or shard it",
        WARNING, ms(s.sendLagMs().p99()), ms(thresholdMs(ttftP50)), ms(ttftP50));
  }

  /** What the loadgen's JVM used, in words, or null when unknown. */
  public static String describeUse(Summary.ToolUse u) {
    if (u == null) {
      return null;
    }
    return String.format(Locale.US, "CPU %.2f s%s, GC %,.0f ms in %,d collections, heap max %,.0f MiB"
        + " (live after GC %,.0f MiB), %,d in flight at most, %d threads%s", u.cpuS(),
        u.cpuMsPerRequest() == null ? "" : String.format(Locale.US, " (%.3f ms per request)",
            u.cpuMsPerRequest()),
        u.gcPauseMs(), u.gcCount(), u.heapUsedMaxMb(), u.heapLiveMaxMb(), u.inFlightMax(),
        u.threads(), u.sharedWithServers() ? "; the JVM also ran the mock fleet and router" : "");
  }

  /** A millisecond figure with a precision fitting its size, and its unit. */
  public static String ms(double v) {
    if (v < 10) {
      return String.format(Locale.US, "%.2f ms", v);
    } else if (v < 100) {
      return String.format(Locale.US, "%.1f ms", v);
    }
    return String.format(Locale.US, "%,.0f ms", v);
  }
}
