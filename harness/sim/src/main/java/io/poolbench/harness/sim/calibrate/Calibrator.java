package io.poolbench.harness.sim.calibrate;

import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.harness.perf.PerfModel;
import io.poolbench.harness.perf.RooflinePerfModel;
import io.poolbench.harness.perf.StepShape;
import io.poolbench.traces.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Fits a step-time model to a measured run by replaying the run in virtual time.
 *
 * <p>Objective: the per-request mean absolute relative error, {@code wTTFT × mean|TTFT' − TTFT| /
 * TTFT + (1 − wTTFT) × mean|E2E' − E2E| / E2E} over the run's ok requests ({@link
 * #DEFAULT_TTFT_WEIGHT} = ½: each request's first token and its end count alike). The search runs
 * in log space (parameters stay positive; efficiencies are capped at 1): from the better of the
 * settings' default model and an initial guess from requests that ran alone (prefill-only TTFTs
 * of requests that arrived to an idle instance and the TPOTs of requests that had their instance
 * to themselves, fitted by least squares), a golden-section search fixes the overall pace, a grid
 * around that point finds the floor of the error's valley, and Nelder–Mead refines its best
 * cells.
 */
public final class Calibrator {

  /** The model families a calibration fits. */
  public enum Kind {
    /** W (fixed per step) and H (per sequence at the reference context). */
    AFFINE,
    /** Compute efficiency, memory efficiency and the fixed overhead of the roofline. */
    ROOFLINE;

    /** The kind named {@code name} ({@code affine} or {@code roofline}). */
    public static Kind named(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "affine" -> AFFINE;
        case "roofline" -> ROOFLINE;
        default -> throw new BadInputException("--perf-model '" + name
            + "' must be 'affine' or 'roofline'");
      };
    }
  }

  /** Default weight of the TTFT error in the objective. */
  public static final double DEFAULT_TTFT_WEIGHT = 0.5;

  private static final int MAX_EVALUATIONS = 400;
  private static final double TOLERANCE = 1e-5;
  private static final double MIN_EFFICIENCY = 1e-3;

  private final Replay replay;
  private final Kind kind;
  private final double ttftWeight;
  private int evaluations;

  /**
   * A calibrator of {@code kind} over {@code replay}, whose pools carry the starting model
   * (an {@link AffinePerfModel} for {@link Kind#AFFINE}, a {@link RooflinePerfModel} for
   * {@link Kind#ROOFLINE}).
   */
  public Calibrator(Replay replay, Kind kind, double ttftWeight) {
    if (!(ttftWeight >= 0 && ttftWeight <= 1)) {
      throw new BadInputException("--ttft-weight (" + ttftWeight + ") must be in [0, 1]");
    }
    for (PoolSetup p : replay.pools()) {
      boolean fits = kind == Kind.AFFINE ? p.perf() instanceof AffinePerfModel
          : p.perf() instanceof RooflinePerfModel;
      if (!fits) {
        throw new IllegalArgumentException("pool '" + p.name() + "' has " + p.perf().describe()
            + ", not a " + kind + " model to start from");
      }
    }
    this.replay = replay;
    this.kind = kind;
    this.ttftWeight = ttftWeight;
  }

  /** Runs the fit. */
  public Calibration fit() {
    evaluations = 0;
    RecordedRun run = replay.run();
    double[] start = startParameters();
    double[] guess = initialGuess(start);
    double[] from = start;
    if (guess != null && objective(guess) < objective(start)) {
      from = guess;
    }
    from = scaled(from, bestScale(from));
    // the error has long shallow valleys (a saturated instance sees nearly the same batch every
    // step, so W and H trade against each other) with small steps on their floor, where a
    // simplex from one point stalls: scan a grid around the pace-fixed start first and refine
    // the best few cells
    NelderMead.Minimum m = null;
    for (double[] cell : bestCells(from, 3)) {
      NelderMead.Minimum local = NelderMead.minimise(this::objective, cell, 0.15, TOLERANCE,
          MAX_EVALUATIONS);
      evaluations += local.evaluations();
      if (m == null || local.value() < m.value()) {
        m = local;
      }
    }
    // restarts with a fresh simplex: the replay's error has small steps where an event moves
    // past another, on which a collapsed simplex can stall
    for (int restart = 0; restart < 4; restart++) {
      NelderMead.Minimum again = NelderMead.minimise(this::objective, m.x(), 0.05, TOLERANCE,
          MAX_EVALUATIONS);
      evaluations += again.evaluations();
      boolean better = again.value() < m.value() - 1e-7;
      if (again.value() <= m.value()) {
        m = again;
      }
      if (!better) {
        break;
      }
    }
    double[] best = m.x();
    Function<PoolSetup, PerfModel> fitted = models(best);
    Replay.Result before = replay.replay(PoolSetup::perf);
    Replay.Result after = replay.replay(fitted);
    evaluations += 2;
    return new Calibration(kind, run.rows(), run.requests().size(), replay.pools().get(0).perf(),
        fitted.apply(replay.pools().get(0)), values(best),
        ReplayStats.of(run, before, ttftWeight), ReplayStats.of(run, after, ttftWeight),
        evaluations, ttftWeight);
  }

  /**
   * The {@code count} best points of a grid spanning a factor of 8 either way of {@code centre}
   * in every parameter (13 points a side for two parameters, 7 for three), best first, each
   * differing from the ones before it by more than one grid step.
   */
  private List<double[]> bestCells(double[] centre, int count) {
    int n = centre.length;
    int side = n <= 2 ? 13 : 7;
    double span = Math.log(8);
    double step = 2 * span / (side - 1);
    int cells = (int) Math.pow(side, n);
    double[][] xs = new double[cells][];
    double[] fs = new double[cells];
    Integer[] order = new Integer[cells];
    for (int c = 0; c < cells; c++) {
      double[] x = centre.clone();
      for (int d = 0, rest = c; d < n; d++, rest /= side) {
        x[d] += -span + (rest % side) * step;
      }
      xs[c] = x;
      fs[c] = objective(x);
      order[c] = c;
    }
    Arrays.sort(order, (a, b) -> Double.compare(fs[a], fs[b]));
    List<double[]> best = new ArrayList<>();
    for (int c : order) {
      boolean distinct = true;
      for (double[] b : best) {
        double far = 0;
        for (int d = 0; d < n; d++) {
          far = Math.max(far, Math.abs(b[d] - xs[c][d]));
        }
        distinct &= far > step * 1.5;
      }
      if (distinct) {
        best.add(xs[c]);
        if (best.size() == count) {
          break;
        }
      }
    }
    return best;
  }

  /**
   * Golden-section search over one factor that scales every step (W and H, or the overhead and
   * the inverse efficiencies together), in log space over [1/10, 10]: it fixes the overall pace
   * before the simplex search adjusts the shape.
   */
  private double bestScale(double[] x) {
    double lo = Math.log(0.1);
    double hi = Math.log(10);
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = objective(scaled(x, a));
    double fb = objective(scaled(x, b));
    while (hi - lo > 1e-3) {
      if (fa <= fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = objective(scaled(x, a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = objective(scaled(x, b));
      }
    }
    double best = fa <= fb ? a : b;
    return objective(scaled(x, best)) < objective(x) ? best : 0;
  }

  /** {@code x} with every step time scaled by {@code e^logScale}. */
  private double[] scaled(double[] x, double logScale) {
    double[] y = x.clone();
    if (kind == Kind.AFFINE) {
      y[0] += logScale;
      y[1] += logScale;
    } else {
      y[0] -= logScale;
      y[1] -= logScale;
      y[2] += logScale;
    }
    return y;
  }

  /** The objective of a replay with parameters {@code x} (log space). */
  double objective(double[] x) {
    evaluations++;
    Replay.Result r = replay.replay(models(x));
    List<RecordedRequest> rs = replay.run().requests();
    double t = 0;
    double e = 0;
    for (int i = 0; i < rs.size(); i++) {
      RecordedRequest q = rs.get(i);
      t += Math.abs(r.ttftNanos()[i] - q.ttftNanos()) / (double) q.ttftNanos();
      e += Math.abs(r.e2eNanos()[i] - q.e2eNanos()) / (double) Math.max(1, q.e2eNanos());
    }
    return (ttftWeight * t + (1 - ttftWeight) * e) / rs.size();
  }

  private double[] startParameters() {
    PerfModel p = replay.pools().get(0).perf();
    if (p instanceof AffinePerfModel a) {
      return new double[] {Math.log(Math.max(1e3, a.fixedNanos())),
          Math.log(Math.max(1e3, a.perSequenceNanosAtRef()))};
    }
    RooflinePerfModel r = (RooflinePerfModel) p;
    return new double[] {Math.log(r.computeEfficiency()), Math.log(r.memoryEfficiency()),
        Math.log(Math.max(1e4, r.overheadNanos()))};
  }

  /** Parameters in log space → one model per pool. */
  private Function<PoolSetup, PerfModel> models(double[] x) {
    if (kind == Kind.AFFINE) {
      long w = Math.round(Math.exp(x[0]));
      long h = Math.round(Math.exp(x[1]));
      Map<PoolSetup, PerfModel> cache = new HashMap<>();
      return pool -> cache.computeIfAbsent(pool, p -> new AffinePerfModel(w, h,
          ((AffinePerfModel) p.perf()).refContextTokens()));
    }
    double ce = efficiency(x[0]);
    double me = efficiency(x[1]);
    long overhead = Math.round(Math.exp(x[2]));
    return pool -> withEfficiencies((RooflinePerfModel) pool.perf(), ce, me, overhead);
  }

  private static double efficiency(double logValue) {
    return Math.max(MIN_EFFICIENCY, Math.min(1.0, Math.exp(logValue)));
  }

  private static RooflinePerfModel withEfficiencies(RooflinePerfModel b, double ce, double me,
      long overheadNanos) {
    return new RooflinePerfModel(b.activeParams(), b.totalParams(), b.weightBytesPerParam(),
        b.attentionFlopsPerContextToken(), b.kvBytesPerToken(), b.tensorParallel(), b.peakFlops(),
        b.hbmBytesPerSecond(), ce, me, overheadNanos);
  }

  private Map<String, Double> values(double[] x) {
    Map<String, Double> v = new LinkedHashMap<>();
    if (kind == Kind.AFFINE) {
      v.put("w-ms", Math.round(Math.exp(x[0])) / 1e6);
      v.put("h-ms", Math.round(Math.exp(x[1])) / 1e6);
    } else {
      v.put("compute-efficiency", efficiency(x[0]));
      v.put("memory-efficiency", efficiency(x[1]));
      v.put("overhead-ms", Math.round(Math.exp(x[2])) / 1e6);
    }
    return v;
  }

  /**
   * A first estimate from the requests that met an idle instance: their TTFT is one prefill step
   * (when the prompt fits one step's token budget) and, when nothing else ran beside them, their
   * TPOT is one decode step. Null when there are too few such requests.
   */
  private double[] initialGuess(double[] start) {
    List<RecordedRequest> rs = replay.run().requests();
    int budget = replay.pools().stream().mapToInt(p -> p.engine().maxNumBatchedTokens()).min()
        .orElse(Integer.MAX_VALUE);
    Map<String, List<RecordedRequest>> byInstance = new HashMap<>();
    for (RecordedRequest r : rs) {
      byInstance.computeIfAbsent(r.pool() + "#" + r.instance(), k -> new ArrayList<>()).add(r);
    }
    List<RecordedRequest> idleArrivals = new ArrayList<>();
    List<RecordedRequest> alone = new ArrayList<>();
    for (List<RecordedRequest> list : byInstance.values()) {
      long busyUntil = Long.MIN_VALUE;
      for (int i = 0; i < list.size(); i++) {
        RecordedRequest r = list.get(i);
        long end = r.arrivalNanos() + r.e2eNanos();
        boolean idle = busyUntil <= r.arrivalNanos();
        if (idle && r.promptTokens() <= budget) {
          idleArrivals.add(r);
          boolean nextAfterEnd = i + 1 >= list.size() || list.get(i + 1).arrivalNanos() >= end;
          if (nextAfterEnd && r.generatedTokens() >= 2) {
            alone.add(r);
          }
        }
        busyUntil = Math.max(busyUntil, end);
      }
    }
    if (idleArrivals.size() + alone.size() < 3) {
      return null;
    }
    return kind == Kind.AFFINE ? affineGuess(idleArrivals, alone) : rooflineGuess(idleArrivals,
        alone, start);
  }

  private double[] affineGuess(List<RecordedRequest> prefills, List<RecordedRequest> decodes) {
    int ref = ((AffinePerfModel) replay.pools().get(0).perf()).refContextTokens();
    List<double[]> xy = new ArrayList<>();
    for (RecordedRequest r : prefills) {
      xy.add(new double[] {(double) r.promptTokens() / ref, r.ttftNanos()});
    }
    for (RecordedRequest r : decodes) {
      xy.add(new double[] {(r.promptTokens() + r.generatedTokens() / 2.0) / ref, r.tpotNanos()});
    }
    double mx = xy.stream().mapToDouble(p -> p[0]).average().orElse(0);
    double my = xy.stream().mapToDouble(p -> p[1]).average().orElse(0);
    double sxx = 0;
    double sxy = 0;
    for (double[] p : xy) {
      sxx += (p[0] - mx) * (p[0] - mx);
      sxy += (p[0] - mx) * (p[1] - my);
    }
    if (sxx <= 0) {
      return null;
    }
    double h = sxy / sxx;
    double w = my - h * mx;
    if (!(h > 0) || !(w > 0)) {
      return null;
    }
    return new double[] {Math.log(w), Math.log(h)};
  }

  private double[] rooflineGuess(List<RecordedRequest> prefills, List<RecordedRequest> decodes,
      double[] start) {
    RooflinePerfModel at1 = withEfficiencies((RooflinePerfModel) replay.pools().get(0).perf(), 1,
        1, 0);
    double overhead = Math.exp(start[2]);
    StepShape s = new StepShape();
    double[] me = decodes.stream().mapToDouble(r -> {
      s.reset();
      s.add(r.promptTokens() + r.generatedTokens() / 2, 1, true);
      return at1.memorySeconds(s) * 1e9 / Math.max(1e3, r.tpotNanos() - overhead);
    }).filter(v -> v > 0).sorted().toArray();
    double memory = me.length > 0 ? me[me.length / 2] : Math.exp(start[1]);
    double[] ce = prefills.stream().mapToDouble(r -> {
      s.reset();
      s.add(0, r.promptTokens(), false);
      double compute = at1.computeSeconds(s);
      double mem = at1.memorySeconds(s) / memory;
      double busy = (r.ttftNanos() - overhead) / 1e9;
      return busy > 0 && compute / Math.exp(start[0]) > mem ? compute / busy : -1;
    }).filter(v -> v > 0).sorted().toArray();
    double compute = ce.length > 0 ? ce[ce.length / 2] : Math.exp(start[0]);
    return new double[] {Math.log(Math.min(1, compute)), Math.log(Math.min(1, memory)), start[2]};
  }

  @Override
  public String toString() {
    return "Calibrator(" + kind + ", " + replay.run().requests().size() + " requests, "
        + Arrays.toString(startParameters()) + ")";
  }
}
