package io.poolbench.harness.compare;

import io.poolbench.reports.rundir.RequestCounts;
import io.poolbench.reports.rundir.RequestLogReader;
import io.poolbench.reports.rundir.RequestRow;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.reports.sweep.SweepResult;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.transform.Transforms;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A rate sweep: every routing mode replays the trace at rising request rates, one step each, and
 * stops once it saturates; the answer is, per mode, the highest rate that met the SLO and the
 * goodput-against-rate curve (the live counterpart of {@code poolbench size}).
 *
 * <p>A step <em>meets the SLO</em> when its TTFT and TPOT p99 are within the objective and at most
 * {@link #MAX_FAILED} of its requests failed. It counts as <em>saturated</em> when it misses the
 * SLO; when its goodput rose less than {@code minGain} (relative) over the best goodput of the
 * lower rates (more offered load no longer buys more good requests); or when its queues grew:
 * the TTFT p50 of the requests that arrived in the step's last third is over twice that of its
 * first third and over a quarter of the TTFT objective. A mode stops after
 * {@code patience} saturated steps in a row; the others go on.
 */
public final class RateSweep {

  /** At most this share of a step's requests may fail for the step to meet the SLO. */
  public static final double MAX_FAILED = 0.01;

  /**
   * One sweep.
   *
   * @param modes the routing modes, in the order reported
   * @param rates the planned rates, ascending
   * @param stepNanos each step's length (the trace is looped or cut to it)
   * @param slo the objective
   * @param patience saturated steps in a row after which a mode stops (>= 1)
   * @param minGain the relative goodput gain below which a step counts as saturated
   * @param kind {@code live} or {@code sim}, for the result
   */
  public record Plan(List<String> modes, List<Double> rates, long stepNanos, Summary.Slo slo,
      int patience, double minGain, String kind) {

    public Plan {
      modes = List.copyOf(modes);
      rates = List.copyOf(rates);
      if (modes.isEmpty()) {
        throw new BadInputException("A sweep needs at least one mode");
      }
      if (rates.isEmpty()) {
        throw new BadInputException("A sweep needs at least one rate");
      }
      for (int i = 0; i < rates.size(); i++) {
        double r = rates.get(i);
        if (!(r > 0) || !Double.isFinite(r)) {
          throw new BadInputException("Sweep rate " + r + " must be a number > 0 (req/s)");
        }
        if (i > 0 && r <= rates.get(i - 1)) {
          throw new BadInputException("Sweep rates must rise: " + SweepResult.number(r) + " req/s follows "
              + SweepResult.number(rates.get(i - 1)));
        }
      }
      if (stepNanos <= 0) {
        throw new BadInputException("--step-duration must be > 0");
      }
      if (patience < 1) {
        throw new BadInputException("--patience (" + patience + ") must be >= 1");
      }
      if (!(minGain >= 0) || !Double.isFinite(minGain)) {
        throw new BadInputException("--min-goodput-gain (" + minGain + ") must be >= 0");
      }
    }
  }

  /** Runs one step: the given modes on {@code source}, one run directory each under {@code dir}. */
  @FunctionalInterface
  public interface StepRunner {
    List<Comparison.Run> run(List<String> modes, TraceSource source, Path dir) throws Exception;
  }

  private final Plan plan;
  private final StepRunner runner;
  private final PrintStream log;

  public RateSweep(Plan plan, StepRunner runner, PrintStream log) {
    this.plan = plan;
    this.runner = runner;
    this.log = log;
  }

  /**
   * {@code steps} rates from {@code start} to {@code end}: {@code linear} evenly spaced,
   * {@code exponential} evenly spaced in log (as vllm bench serve's ramp-up strategies).
   */
  public static List<Double> rampRates(String strategy, double start, double end, int steps) {
    if (!(start > 0) || !Double.isFinite(start)) {
      throw new BadInputException("--ramp-up-start-rps (" + start + ") must be a number > 0");
    }
    if (!(end > start) || !Double.isFinite(end)) {
      throw new BadInputException("--ramp-up-end-rps (" + end + ") must be a number above "
          + "--ramp-up-start-rps (" + start + ")");
    }
    if (steps < 2) {
      throw new BadInputException("--steps (" + steps + ") must be >= 2");
    }
    String s = strategy == null ? "" : strategy.strip().toLowerCase(Locale.ROOT);
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      double f = (double) i / (steps - 1);
      rates.add(switch (s) {
        case "linear" -> start + (end - start) * f;
        case "exponential" -> start * Math.pow(end / start, f);
        default -> throw new BadInputException("--ramp-up-strategy '" + strategy
            + "' is not linear or exponential");
      });
    }
    return rates;
  }

  /** The trace time-scaled to {@code rps} (keeping its burst shape), looped or cut to the step. */
  public static TraceSource atRate(TraceSource base, double rps, long stepNanos) {
    return Transforms.scaleToRate(rps).andThen(Transforms.duration(stepNanos)).applyTo(base);
  }

  /** Runs the sweep; step {@code i}'s run directories go to {@code out/rate-<rate>/}. */
  public SweepResult run(TraceSource base, Path out) throws Exception {
    Map<String, List<SweepResult.Point>> points = new LinkedHashMap<>();
    Map<String, Integer> gpus = new LinkedHashMap<>();
    Map<String, String> stopped = new LinkedHashMap<>();
    Map<String, Integer> saturatedRun = new LinkedHashMap<>();
    for (String m : plan.modes()) {
      points.put(m, new ArrayList<>());
      saturatedRun.put(m, 0);
    }
    for (double rate : plan.rates()) {
      List<String> active = plan.modes().stream().filter(m -> !stopped.containsKey(m)).toList();
      if (active.isEmpty()) {
        break;
      }
      String stepName = "rate-" + SweepResult.number(rate);
      log.printf(Locale.US, "sweep: %s req/s for %.0f s: %s%n", SweepResult.number(rate), plan.stepNanos() / 1e9,
          String.join(", ", active));
      List<Comparison.Run> runs = runner.run(active, atRate(base, rate, plan.stepNanos()),
          out.resolve(stepName));
      for (Comparison.Run run : runs) {
        String mode = run.mode();
        List<SweepResult.Point> seen = points.get(mode);
        if (seen == null) {
          continue;
        }
        double best = seen.stream().mapToDouble(SweepResult.Point::goodputRps).max().orElse(-1);
        SweepResult.Point p = evaluate(run.summary(), rate, best, plan.slo(), plan.minGain(),
            out.relativize(run.dir()).toString(), ttftThirds(run.dir()));
        seen.add(p);
        if (run.summary().gpus() != null) {
          gpus.put(mode, run.summary().gpus());
        }
        log.printf(Locale.US, "sweep:   %-24s goodput %8.2f req/s, TTFT p99 %8.1f ms, TPOT p99 "
                + "%6.1f ms, %s%n", mode, p.goodputRps(), p.ttftP99Ms(), p.tpotP99Ms(),
            p.saturation().isEmpty() ? "meets the SLO, still rising"
                : String.join("; ", p.saturation()));
        int run0 = p.saturation().isEmpty() ? 0 : saturatedRun.get(mode) + 1;
        saturatedRun.put(mode, run0);
        if (run0 >= plan.patience()) {
          stopped.put(mode, String.join("; ", p.saturation()) + " at " + SweepResult.number(rate) + " req/s");
        }
      }
    }
    List<SweepResult.Curve> curves = new ArrayList<>();
    for (String mode : plan.modes()) {
      List<SweepResult.Point> ps = points.get(mode);
      SweepResult.Point cap = null;
      for (SweepResult.Point p : ps) {
        if (p.meetsSlo()) {
          cap = p;
        }
      }
      boolean saturated = stopped.containsKey(mode)
          || (!ps.isEmpty() && !ps.get(ps.size() - 1).saturation().isEmpty());
      String reason = stopped.containsKey(mode) ? stopped.get(mode)
          : "highest rate tried (" + SweepResult.number(plan.rates().get(plan.rates().size() - 1)) + " req/s)";
      curves.add(new SweepResult.Curve(mode, gpus.get(mode),
          cap == null ? null : cap.plannedRps(), cap == null ? null : cap.goodputRps(),
          saturated, reason, ps));
    }
    return new SweepResult(plan.kind(), base.name(), plan.slo(), plan.stepNanos() / 1e9,
        plan.rates(), curves, verdict(curves, plan.slo(), plan.rates()));
  }

  /** One step's figures, judged against the SLO and the best goodput of the lower rates. */
  static SweepResult.Point evaluate(Summary s, double plannedRps, double bestGoodput,
      Summary.Slo slo, double minGain, String runDir, double[] thirds) {
    RequestCounts c = s.requests();
    double failed = c.total() == 0 ? 1 : (double) (c.total() - c.ok()) / c.total();
    double ttft = s.ttftMs().p99();
    double tpot = s.tpotMs().p99();
    List<String> reasons = new ArrayList<>();
    if (!(ttft <= slo.ttftMs())) {
      reasons.add(String.format(Locale.US, "TTFT p99 %.0f ms > %.0f ms", ttft, slo.ttftMs()));
    }
    if (!(tpot <= slo.tpotMs())) {
      reasons.add(String.format(Locale.US, "TPOT p99 %.1f ms > %.0f ms", tpot, slo.tpotMs()));
    }
    if (failed > MAX_FAILED) {
      reasons.add(String.format(Locale.US, "%.1f%% failed > %.0f%%", 100 * failed,
          100 * MAX_FAILED));
    }
    boolean meets = reasons.isEmpty();
    if (bestGoodput >= 0 && s.goodputRps() < (1 + minGain) * bestGoodput) {
      reasons.add(String.format(Locale.US, "goodput flat (%.2f req/s, %.2f at a lower rate)",
          s.goodputRps(), bestGoodput));
    }
    if (thirds != null && thirds[1] > 2 * thirds[0] && thirds[1] > 0.25 * slo.ttftMs()) {
      reasons.add(String.format(Locale.US, "queue growth (TTFT p50 %.0f ms in the first third, "
          + "%.0f ms in the last)", thirds[0], thirds[1]));
    }
    Double queue = s.queueMs() == null || s.queueMs().count() == 0 ? null : s.queueMs().p99();
    return new SweepResult.Point(plannedRps, s.requestRate(), s.goodputRps(), s.goodputPerGpu(),
        ttft, tpot, queue, thirds == null ? null : thirds[0], thirds == null ? null : thirds[1],
        failed, meets, List.copyOf(reasons), runDir);
  }

  /**
   * The TTFT p50 of the requests (with a first token) that arrived in the first and in the last
   * third of a run, from its requests.csv.gz; null without that file or with fewer than 5 such
   * requests in either third.
   */
  static double[] ttftThirds(Path runDir) {
    Path log = runDir.resolve(RunDirectory.REQUESTS_CSV_GZ);
    if (!Files.isRegularFile(log)) {
      return null;
    }
    List<RequestRow> rows;
    try (Stream<RequestRow> s = RequestLogReader.read(log)) {
      rows = s.filter(r -> r.ttftMs() >= 0 && Double.isFinite(r.ttftMs())).toList();
    }
    double span = rows.stream().mapToDouble(RequestRow::arrivalMs).max().orElse(0);
    double[] first = rows.stream().filter(r -> r.arrivalMs() < span / 3)
        .mapToDouble(RequestRow::ttftMs).sorted().toArray();
    double[] last = rows.stream().filter(r -> r.arrivalMs() >= 2 * span / 3)
        .mapToDouble(RequestRow::ttftMs).sorted().toArray();
    if (first.length < 5 || last.length < 5) {
      return null;
    }
    return new double[] {median(first), median(last)};
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** "At P99 TTFT 2 s / TPOT 80 ms: token-budget carries 12 req/s, single 6 req/s (...)". */
  static String verdict(List<SweepResult.Curve> curves, Summary.Slo slo, List<Double> rates) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.US, "At P99 TTFT %s / TPOT %s", duration(slo.ttftMs()),
        duration(slo.tpotMs())));
    sb.append(": ");
    List<SweepResult.Curve> ranked = new ArrayList<>(curves);
    ranked.sort((a, b) -> Double.compare(capacity(b), capacity(a)));
    for (int i = 0; i < ranked.size(); i++) {
      SweepResult.Curve c = ranked.get(i);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(c.mode());
      if (c.capacityRps() == null) {
        sb.append(" meets the SLO at none of the rates tried (from ").append(SweepResult.number(rates.get(0)))
            .append(" req/s)");
      } else {
        sb.append(" carries ").append(c.saturated() ? "" : "at least ")
            .append(SweepResult.number(c.capacityRps())).append(" req/s");
        if (!c.saturated()) {
          sb.append(" (not saturated: try higher rates)");
        }
      }
    }
    SweepResult.Curve best = ranked.get(0);
    if (ranked.size() > 1 && best.capacityRps() != null) {
      for (SweepResult.Curve other : ranked.subList(1, ranked.size())) {
        if (other.capacityRps() != null && other.capacityRps() < best.capacityRps()) {
          sb.append(String.format(Locale.US, "; %s carries %.0f%% more than %s", best.mode(),
              100 * (best.capacityRps() / other.capacityRps() - 1), other.mode()));
          break;
        }
      }
    }
    return sb.toString();
  }

  private static double capacity(SweepResult.Curve c) {
    return c.capacityRps() == null ? -1 : c.capacityRps();
  }

  private static String duration(double ms) {
    return ms >= 1000 && ms % 1000 == 0 ? SweepResult.number(ms / 1000) + " s" : SweepResult.number(ms) + " ms";
  }

}
