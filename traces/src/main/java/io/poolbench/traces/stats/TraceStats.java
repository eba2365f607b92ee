package io.poolbench.traces.stats;

import java.util.SortedMap;

/**
 * What {@code poolbench trace stats} reports about a trace. Rate windows are aligned to the first
 * arrival: window k covers [t0 + k·W, t0 + (k+1)·W). That definition reproduces the peak figures
 * of {@code ../shared/traces/README.md} (code: 632 per minute and 67 per second; conv: 507 and
 * 16); a sliding window would give 723 and 72, 522 and 19.
 *
 * @param rows requests read
 * @param skippedRows malformed rows skipped ({@code --on-bad-row skip})
 * @param spanSeconds last arrival minus first arrival
 * @param meanRateRps rows / span (NaN when the span is 0)
 * @param peakCount1s most arrivals in one aligned 1-s window
 * @param peakCount60s most arrivals in one aligned 60-s window
 * @param interarrivalCv population standard deviation over mean of the gaps between consecutive
 *     arrivals (NaN with fewer than two gaps or a zero mean gap)
 * @param promptTokens prompt-length summary
 * @param outputTokens output-length summary
 * @param totalTokens prompt + output summary
 * @param fractionTotalLe for each threshold, the fraction of requests with prompt + output ≤ it
 */
public record TraceStats(
    long rows,
    long skippedRows,
    double spanSeconds,
    double meanRateRps,
    long peakCount1s,
    long peakCount60s,
    double interarrivalCv,
    TokenSummary promptTokens,
    TokenSummary outputTokens,
    TokenSummary totalTokens,
    SortedMap<Integer, Double> fractionTotalLe,
    PrefixReuse prefixReuse,
    SortedMap<String, PrefixReuse> prefixReuseByCategory) {

  /**
   * How much of a trace's prefix structure repeats: of the prompt blocks that carry a hash id
   * (Mooncake: 512 tokens each), the share whose id was seen before in the trace, i.e. the blocks
   * an unbounded prefix cache shared by the whole fleet would hold. A per-category figure counts
   * ids seen before in any category.
   *
   * @param requests requests with hash ids
   * @param blocks hash ids over those requests
   * @param reused of those, ids seen in an earlier request
   */
  public record PrefixReuse(long requests, long blocks, long reused) {
    /** reused ÷ blocks. */
    public double share() {
      return blocks == 0 ? Double.NaN : (double) reused / blocks;
    }
  }

  /** Peak rate in requests per second over aligned 1-s windows. */
  public double peakRate1s() {
    return peakCount1s;
  }

  /** Peak rate in requests per second over aligned 60-s windows. */
  public double peakRate60s() {
    return peakCount60s / 60.0;
  }
}
