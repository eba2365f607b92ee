package io.poolbench.reports.rundir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the estimator's state during a run and writes routing.json at the end. A producer
 * calls {@link #sample} for each category every interval (not per request: the file stays small)
 * and {@link #promptError} once before {@link #write}. Single-threaded.
 */
public final class RoutingLogWriter {
  private final List<RoutingLog.RatioSample> ratios = new ArrayList<>();
  private RoutingLog.ErrorHistogram promptError;

  /** Records one category's estimator state at {@code timeS} seconds from the run start. */
  public void sample(double timeS, String category, double routingBytesPerToken,
      double meanBytesPerToken, long samples) {
    ratios.add(new RoutingLog.RatioSample(timeS, category, routingBytesPerToken,
        meanBytesPerToken, samples));
  }

  /**
   * Sets the estimate-error histogram (estimated − actual prompt tokens).
   *
   * @param upperBounds finite bucket bounds, ascending
   * @param counts per-bucket counts, one more than the bounds
   * @param sum sum of the recorded errors
   */
  public void promptError(long[] upperBounds, long[] counts, long sum) {
    promptError = new RoutingLog.ErrorHistogram(upperBounds.clone(), counts.clone(), sum);
  }

  /** The log collected so far. */
  public RoutingLog log() {
    return new RoutingLog(ratios, promptError);
  }

  /** Writes routing.json into {@code dir}. */
  public void write(RunDirectory dir) {
    try {
      RunDirectory.mapper().writeValue(dir.file(RoutingLog.ROUTING_JSON).toFile(), log());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + RoutingLog.ROUTING_JSON, e);
    }
  }
}
