package io.poolbench.harness.sim.calibrate;

import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.harness.perf.PerfModel;
import io.poolbench.harness.perf.RooflinePerfModel;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a calibration.
 *
 * @param kind the fitted model family
 * @param rows rows of the run's requests.csv.gz
 * @param used ok requests replayed and fitted
 * @param start the model the search started from (the settings' default: "before")
 * @param fitted the fitted model of the first pool ("after")
 * @param values the fitted constants by fleet-file key ({@code w-ms}, {@code h-ms}, or
 *     {@code compute-efficiency}, {@code memory-efficiency}, {@code overhead-ms})
 * @param before the replay with {@code start}
 * @param after the replay with the fitted constants
 * @param evaluations replays the search ran
 * @param ttftWeight weight of the TTFT error in the objective (E2E has the rest)
 */
public record Calibration(Calibrator.Kind kind, long rows, int used, PerfModel start,
    PerfModel fitted, Map<String, Double> values, ReplayStats before, ReplayStats after,
    int evaluations, double ttftWeight) {

  public Calibration {
    values = Map.copyOf(values);
  }

  /** The fitted perf block, ready to paste into a fleet file (two YAML lines). */
  public String perfBlock() {
    if (fitted instanceof AffinePerfModel a) {
      return String.format(Locale.US, "perf-model: affine%naffine: {w-ms: %.4f, h-ms: %.4f, "
          + "ref-context: %d}%n", a.fixedNanos() / 1e6, a.perSequenceNanosAtRef() / 1e6,
          a.refContextTokens());
    }
    RooflinePerfModel r = (RooflinePerfModel) fitted;
    return String.format(Locale.US, "perf-model: roofline%nroofline: {compute-efficiency: %.4f, "
        + "memory-efficiency: %.4f, overhead-ms: %.4f}%n", r.computeEfficiency(),
        r.memoryEfficiency(), r.overheadNanos() / 1e6);
  }
}
