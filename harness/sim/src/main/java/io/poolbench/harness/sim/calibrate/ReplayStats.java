package io.poolbench.harness.sim.calibrate;

import java.util.Arrays;
import java.util.List;

/**
 * How well one replay reproduces the run.
 *
 * @param ttftMaePct per-request mean absolute relative error of TTFT, %
 * @param e2eMaePct per-request mean absolute relative error of E2E, %
 * @param objective the fitted objective: {@code wTTFT × TTFT error + (1 − wTTFT) × E2E error}
 *     (fractions, not %)
 * @param quantiles p50 and p99 of TTFT, TPOT and E2E in the run and in the replay
 */
public record ReplayStats(double ttftMaePct, double e2eMaePct, double objective,
    List<Quantile> quantiles) {

  public ReplayStats {
    quantiles = List.copyOf(quantiles);
  }

  /**
   * One percentile of one metric.
   *
   * @param metric {@code TTFT}, {@code TPOT} or {@code E2E}
   * @param percentile 50 or 99
   * @param runMs the run's value
   * @param replayMs the replay's value
   */
  public record Quantile(String metric, double percentile, double runMs, double replayMs) {

    /** Relative error of the replay, % (positive: the replay is slower). */
    public double errorPct() {
      return runMs == 0 ? 0 : 100 * (replayMs - runMs) / runMs;
    }
  }

  /** The percentiles reported: p50 and p99. */
  static final double[] PERCENTILES = {50, 99};

  /** Compares {@code replay} with the run's measurements. */
  static ReplayStats of(RecordedRun run, Replay.Result replay, double ttftWeight) {
    List<RecordedRequest> rs = run.requests();
    int n = rs.size();
    double ttftErr = 0;
    double e2eErr = 0;
    double[][] measured = new double[3][n];
    double[][] replayed = new double[3][n];
    int tpots = 0;
    for (int i = 0; i < n; i++) {
      RecordedRequest r = rs.get(i);
      ttftErr += Math.abs(replay.ttftNanos()[i] - r.ttftNanos()) / (double) r.ttftNanos();
      e2eErr += Math.abs(replay.e2eNanos()[i] - r.e2eNanos()) / (double) Math.max(1, r.e2eNanos());
      measured[0][i] = r.ttftNanos() / 1e6;
      replayed[0][i] = replay.ttftNanos()[i] / 1e6;
      measured[2][i] = r.e2eNanos() / 1e6;
      replayed[2][i] = replay.e2eNanos()[i] / 1e6;
      if (r.generatedTokens() >= 2) {
        measured[1][tpots] = r.tpotNanos() / 1e6;
        replayed[1][tpots] = (replay.e2eNanos()[i] - replay.ttftNanos()[i]) / 1e6
            / (r.generatedTokens() - 1);
        tpots++;
      }
    }
    ttftErr /= n;
    e2eErr /= n;
    String[] names = {"TTFT", "TPOT", "E2E"};
    int[] counts = {n, tpots, n};
    List<Quantile> qs = new java.util.ArrayList<>();
    for (int m = 0; m < 3; m++) {
      if (counts[m] == 0) {
        continue;
      }
      double[] a = Arrays.copyOf(measured[m], counts[m]);
      double[] b = Arrays.copyOf(replayed[m], counts[m]);
      Arrays.sort(a);
      Arrays.sort(b);
      for (double p : PERCENTILES) {
        qs.add(new Quantile(names[m], p, rank(a, p), rank(b, p)));
      }
    }
    return new ReplayStats(100 * ttftErr, 100 * e2eErr,
        ttftWeight * ttftErr + (1 - ttftWeight) * e2eErr, qs);
  }

  /** Nearest-rank percentile of sorted values. */
  static double rank(double[] sorted, double p) {
    int k = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
  }

  /** The quantile of {@code metric} at {@code percentile}, or null. */
  public Quantile quantile(String metric, double percentile) {
    return quantiles.stream().filter(q -> q.metric().equals(metric)
        && q.percentile() == percentile).findFirst().orElse(null);
  }
}
