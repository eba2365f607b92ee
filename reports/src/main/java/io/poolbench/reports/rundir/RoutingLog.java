package io.poolbench.reports.rundir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * routing.json, an optional file of a run directory: how the router's token-budget estimator
 * evolved (bytes-per-token ratio per category over time) and how wrong its prompt-token estimates
 * were (a signed error histogram, estimated − actual tokens). Producers that route write it with
 * {@link RoutingLogWriter}; reports show its panels only when it exists.
 *
 * @param ratios estimator samples, in time order
 * @param promptError the estimate-error histogram at the end of the run, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutingLog(
    @JsonProperty("ratios") List<RatioSample> ratios,
    @JsonProperty("prompt_error") ErrorHistogram promptError) {

  /** The file name inside a run directory. */
  public static final String ROUTING_JSON = "routing.json";

  public RoutingLog {
    ratios = ratios == null ? List.of() : List.copyOf(ratios);
  }

  /**
   * The estimator's state for one category at one time.
   *
   * @param timeS seconds from the run start
   * @param category the estimator category
   * @param routingBytesPerToken the (conservative) ratio routing used at that time
   * @param meanBytesPerToken the EMA of observed bytes per token
   * @param samples observations the category had accepted by then
   */
  public record RatioSample(
      @JsonProperty("t_s") double timeS,
      @JsonProperty("category") String category,
      @JsonProperty("routing_bytes_per_token") double routingBytesPerToken,
      @JsonProperty("mean_bytes_per_token") double meanBytesPerToken,
      @JsonProperty("samples") long samples) {}

  /**
   * A fixed-bucket histogram of signed estimate errors in tokens (Prometheus {@code le} buckets).
   *
   * @param upperBounds finite bucket upper bounds, ascending
   * @param counts per-bucket counts, one more than the bounds (the last is +∞)
   * @param sum sum of all recorded errors
   */
  public record ErrorHistogram(
      @JsonProperty("upper_bounds") long[] upperBounds,
      @JsonProperty("counts") long[] counts,
      @JsonProperty("sum") long sum) {

    public ErrorHistogram {
      if (upperBounds == null || counts == null || counts.length != upperBounds.length + 1) {
        throw new IllegalArgumentException("prompt_error needs counts.length == "
            + "upper_bounds.length + 1");
      }
    }
  }

  /** Reads routing.json of {@code dir}, or returns null when the run has none. */
  public static RoutingLog read(Path dir) {
    Path file = dir.resolve(ROUTING_JSON);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return RunDirectory.mapper().readValue(file.toFile(), RoutingLog.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
  }
}
