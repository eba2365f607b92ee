package io.poolbench.reports.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.poolbench.reports.rundir.Summary;
import java.util.List;

/**
 * A rate sweep, as {@code sweep.json} holds it: each routing mode run at rising request rates
 * until it saturates, with the highest rate that met the SLO.
 *
 * @param kind {@code live} or {@code sim}
 * @param trace the trace's name
 * @param slo the latency objective every step was judged against
 * @param stepDurationS each step's planned length
 * @param rates the planned rates, in order
 * @param modes one curve per mode, in the order given
 * @param verdict the one-line answer ("token-budget carries 12 req/s ...")
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepResult(
    @JsonProperty("kind") String kind,
    @JsonProperty("trace") String trace,
    @JsonProperty("slo") Summary.Slo slo,
    @JsonProperty("step_duration_s") double stepDurationS,
    @JsonProperty("rates") List<Double> rates,
    @JsonProperty("modes") List<Curve> modes,
    @JsonProperty("verdict") String verdict) {

  /** The file name of a sweep's result inside its output directory. */
  public static final String FILE = "sweep.json";

  /** A rate or duration without needless decimals: 2, 2.5, 0.125. */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(java.util.Locale.US, "%.3f", v).replaceFirst("0+$", "")
        .replaceFirst("\\.$", "");
  }

  /**
   * One mode's curve.
   *
   * @param mode the routing mode
   * @param gpus GPUs of the mode's fleet
   * @param capacityRps the highest planned rate that met the SLO (null: none did)
   * @param capacityGoodputRps the goodput at that rate
   * @param saturated whether the mode saturated within the rates tried
   * @param stopReason why the sweep stopped for this mode ("slo missed at 16 req/s", "highest
   *     rate tried")
   * @param points the steps run, in rate order
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Curve(
      @JsonProperty("mode") String mode,
      @JsonProperty("gpus") Integer gpus,
      @JsonProperty("capacity_rps") Double capacityRps,
      @JsonProperty("capacity_goodput_rps") Double capacityGoodputRps,
      @JsonProperty("saturated") boolean saturated,
      @JsonProperty("stop_reason") String stopReason,
      @JsonProperty("points") List<Point> points) {}

  /**
   * One step of one mode.
   *
   * @param plannedRps the step's planned rate
   * @param sentRps the rate the load generator reached
   * @param goodputRps requests per second that met the SLO
   * @param goodputPerGpu goodput per GPU
   * @param ttftP99Ms TTFT p99
   * @param tpotP99Ms TPOT p99
   * @param queueP99Ms engine queue time p99 (null where not measured)
   * @param ttftP50FirstThirdMs TTFT p50 of the requests that arrived in the step's first third
   *     (null with too few)
   * @param ttftP50LastThirdMs the same for its last third: far above the first, queues grew
   * @param failedShare the share of requests that did not complete
   * @param meetsSlo TTFT and TPOT p99 within the SLO and at most 1% failed
   * @param saturation the reasons this step counts as saturated, empty when it does not
   * @param runDir the step's run directory, relative to the sweep's output directory
   */
  public record Point(
      @JsonProperty("planned_rps") double plannedRps,
      @JsonProperty("sent_rps") double sentRps,
      @JsonProperty("goodput_rps") double goodputRps,
      @JsonProperty("goodput_per_gpu") Double goodputPerGpu,
      @JsonProperty("ttft_p99_ms") double ttftP99Ms,
      @JsonProperty("tpot_p99_ms") double tpotP99Ms,
      @JsonProperty("queue_p99_ms") Double queueP99Ms,
      @JsonProperty("ttft_p50_first_third_ms") Double ttftP50FirstThirdMs,
      @JsonProperty("ttft_p50_last_third_ms") Double ttftP50LastThirdMs,
      @JsonProperty("failed_share") double failedShare,
      @JsonProperty("meets_slo") boolean meetsSlo,
      @JsonProperty("saturation") List<String> saturation,
      @JsonProperty("run_dir") String runDir) {}
}
