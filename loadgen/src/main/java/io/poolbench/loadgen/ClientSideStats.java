package io.poolbench.loadgen;

import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.OutcomeKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What only the client sees: how late requests went out against the plan (send lag), how long
 * they waited for a concurrency slot, the planned against the achieved rate, and latencies
 * measured from the actual send (beside the headline ones, which count from the plan). Written
 * to {@code loadgen.json} in the run directory. Used by the recording thread only.
 */
final class ClientSideStats {
  private static final long HIGHEST_MICROS = 3_600_000_000L;

  private final Histogram sendLagMicros = new Histogram(HIGHEST_MICROS, 3);
  private final Histogram slotWaitMicros = new Histogram(HIGHEST_MICROS, 3);
  private final Histogram ttftFromSendMicros = new Histogram(HIGHEST_MICROS, 3);
  private final Histogram e2eFromSendMicros = new Histogram(HIGHEST_MICROS, 3);
  private final Histogram ttftFromPlanMicros = new Histogram(HIGHEST_MICROS, 3);
  private long rows;
  private long sent;
  private long ok;
  private long errors;
  private long firstPlanned = Long.MAX_VALUE;
  private long lastPlanned = Long.MIN_VALUE;
  private long firstSent = Long.MAX_VALUE;
  private long lastSent = Long.MIN_VALUE;

  void record(Finished f) {
    rows++;
    firstPlanned = Math.min(firstPlanned, f.plannedNanos());
    lastPlanned = Math.max(lastPlanned, f.plannedNanos());
    if (f.outcome() == OutcomeKind.OK) {
      ok++;
    } else if (f.outcome() != OutcomeKind.NOT_SENT) {
      errors++;
    }
    if (f.sentNanos() == 0) {
      return;
    }
    sent++;
    firstSent = Math.min(firstSent, f.sentNanos());
    lastSent = Math.max(lastSent, f.sentNanos());
    record(sendLagMicros, f.sentNanos() - f.plannedNanos() - f.slotWaitNanos());
    record(slotWaitMicros, f.slotWaitNanos());
    if (f.outcome() == OutcomeKind.OK) {
      if (f.firstTokenNanos() > 0) {
        record(ttftFromSendMicros, f.firstTokenNanos() - f.sentNanos());
        record(ttftFromPlanMicros, f.firstTokenNanos() - f.plannedNanos());
      }
      record(e2eFromSendMicros, f.endNanos() - f.sentNanos());
    }
  }

  private static void record(Histogram h, long nanos) {
    h.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
  }

  long rows() {
    return rows;
  }

  long ok() {
    return ok;
  }

  long errors() {
    return errors;
  }

  /** Requests per second the plan asked for (rows over the planned span). */
  double plannedRate() {
    return rows < 2 || lastPlanned <= firstPlanned ? 0 : (rows - 1) / ((lastPlanned - firstPlanned) / 1e9);
  }

  /** Requests per second actually sent (over the sending span). */
  double achievedRate() {
    return sent < 2 || lastSent <= firstSent ? 0 : (sent - 1) / ((lastSent - firstSent) / 1e9);
  }

  /** Headline TTFT percentile (from the plan) so far, in ms. */
  double ttftMs(double percentile) {
    return ttftFromPlanMicros.getTotalCount() == 0 ? Double.NaN
        : ttftFromPlanMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Send lag percentile so far, in ms (NaN: nothing sent yet). */
  double sendLagMs(double percentile) {
    return sendLagMicros.getTotalCount() == 0 ? Double.NaN
        : sendLagMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The whole run's send lag, as summary.json's {@code send_lag_ms} holds it. */
  LatencySummary sendLag() {
    return LatencySummary.of(sendLagMicros);
  }

  long sent() {
    return sent;
  }

  /** The loadgen.json content. */
  Map<String, Object> toJson(long inFlightAtEnd) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("sent", sent);
    m.put("planned_rate_rps", round(plannedRate()));
    m.put("achieved_rate_rps", round(achievedRate()));
    m.put("achieved_vs_planned", plannedRate() == 0 ? null : round(achievedRate() / plannedRate()));
    m.put("send_lag_ms", percentiles(sendLagMicros));
    m.put("slot_wait_ms", percentiles(slotWaitMicros));
    m.put("ttft_from_send_ms", percentiles(ttftFromSendMicros));
    m.put("e2e_from_send_ms", percentiles(e2eFromSendMicros));
    m.put("in_flight_at_end", inFlightAtEnd);
    m.put("note", "Headline latencies in summary.json count from each request's planned send time; "
        + "these count from the actual send. send_lag excludes slot waits.");
    return m;
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    if (h.getTotalCount() > 0) {
      m.put("mean", round(h.getMean() / 1000));
      for (double p : new double[] {50, 90, 99, 99.9}) {
        m.put(String.format(Locale.US, "p%s", p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p)),
            round(h.getValueAtPercentile(p) / 1000.0));
      }
      m.put("max", round(h.getMaxValue() / 1000.0));
    }
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
