package io.poolbench.reports.rundir;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;

/**
 * Mean and percentiles of one latency metric in milliseconds, as summary.json holds them.
 *
 * @param count recorded values
 */
public record LatencySummary(
    @JsonProperty("count") long count,
    @JsonProperty("mean") double mean,
    @JsonProperty("p50") double p50,
    @JsonProperty("p90") double p90,
    @JsonProperty("p99") double p99,
    @JsonProperty("p99_9") double p999,
    @JsonProperty("max") double max) {

  /** The summary of a histogram recorded in microseconds. */
  public static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(micros.getTotalCount(), micros.getMean() / 1000.0,
        micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(90) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0, micros.getValueAtPercentile(99.9) / 1000.0,
        micros.getMaxValue() / 1000.0);
  }

  /** The percentiles a summary keeps: 50, 90, 99 and 99.9 (100 is the maximum). */
  public static final java.util.List<Double> PERCENTILES = java.util.List.of(50.0, 90.0, 99.0, 99.9, 100.0);

  /**
   * The value at one of {@link #PERCENTILES}.
   *
   * @throws IllegalArgumentException for another percentile
   */
  public double at(double percentile) {
    if (percentile == 50) {
      return p50;
    } else if (percentile == 90) {
      return p90;
    } else if (percentile == 99) {
      return p99;
    } else if (percentile == 99.9) {
      return p999;
    } else if (percentile == 100) {
      return max;
    }
    throw new IllegalArgumentException("percentile " + percentile + " is not kept; expected one of "
        + PERCENTILES);
  }
}
