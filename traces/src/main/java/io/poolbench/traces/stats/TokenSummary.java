package io.poolbench.traces.stats;

/**
 * Mean and nearest-rank percentiles of one token length over a trace.
 *
 * @param mean arithmetic mean (NaN for an empty trace)
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max largest value
 */
public record TokenSummary(double mean, int p50, int p90, int p99, int max) {

  /** Summarises a histogram. */
  public static TokenSummary of(TokenHistogram histogram) {
    return new TokenSummary(histogram.mean(), histogram.percentile(50),
        histogram.percentile(90), histogram.percentile(99), histogram.max());
  }
}
