package io.poolbench.loadgen;

import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.traces.TraceRequest;

/**
 * How one planned row ended, handed from the I/O threads to the recording thread. Times are
 * {@link System#nanoTime()} readings; 0 means "did not happen".
 *
 * @param index the row's position in the whole trace
 * @param request the row
 * @param target index of the target URL it went to, or -1
 * @param pool index of the pool it is attributed to, or -1
 * @param outcome its one outcome
 * @param status HTTP status, or 0
 * @param plannedNanos when it was due
 * @param sentNanos when it was handed to the client (0: not sent)
 * @param slotWaitNanos time waiting for a concurrency slot
 * @param firstTokenNanos when the first content arrived (0: none)
 * @param endNanos when it ended
 * @param completionTokens output tokens (usage, else content chunks)
 * @param gaps inter-chunk gaps in nanoseconds (the first {@code gapCount} entries)
 * @param gapCount number of gaps
 * @param cachedTokens prompt tokens the server reported cached, or -1
 */
record Finished(
    long index,
    TraceRequest request,
    int target,
    int pool,
    OutcomeKind outcome,
    int status,
    long plannedNanos,
    long sentNanos,
    long slotWaitNanos,
    long firstTokenNanos,
    long endNanos,
    int completionTokens,
    long[] gaps,
    int gapCount,
    int cachedTokens) {

  static Finished notSent(long index, TraceRequest request, long plannedNanos, long nowNanos) {
    return new Finished(index, request, -1, -1, OutcomeKind.NOT_SENT, 0, plannedNanos, 0, 0, 0,
        nowNanos, 0, null, 0, -1);
  }
}
