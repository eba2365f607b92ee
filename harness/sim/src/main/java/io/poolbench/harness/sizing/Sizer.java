package io.poolbench.harness.sizing;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * Finds the smallest homogeneous fleet and the smallest (short, long) two-pool fleet that meet
 * an SLO on a trace: an analytic first guess from α and measured per-instance throughput, then a
 * search in which every candidate is simulated. The result for each fleet is the smallest
 * instance count that passes while one instance fewer fails (per pool, for the two-pool fleet).
 */
public final class Sizer {

  /**
   * Sizing settings.
   *
   * @param slo P99 TTFT and TPOT objectives
   * @param maxRejection highest share of requests allowed to fail (anything but ok and the
   *     context rejections every fleet gives alike)
   * @param hoursPerYear hours per year for the $ figures
   * @param throughputSample requests per pool used to measure per-instance throughput
   * @param workDir where candidate runs are written; the final runs stay in
   *     {@code homogeneous/} and {@code two-pool/}
   * @param maxInstances the search gives up above this many instances per pool
   */
  public record Settings(Summary.Slo slo, double maxRejection, double hoursPerYear,
      int throughputSample, Path workDir, int maxInstances) {}

  /**
   * One verified fleet.
   *
   * @param instances instances per pool, in pool order
   * @param gpus billed GPUs
   * @param costPerYear dollars per year
   * @param summary the verifying run's summary
   * @param meetsSlo whether it met the SLO (false only when the search hit its limit)
   */
  public record FleetResult(List<Integer> instances, int gpus, double costPerYear,
      Summary summary, boolean meetsSlo) {}

  /**
   * The full sizing answer.
   *
   * @param alpha share of requests within B_short
   * @param rate arrival rate of the trace, req/s
   * @param muHomogeneous measured requests/s of one homogeneous instance on the whole mix
   * @param muShort measured requests/s of one short instance on the short requests
   * @param muLong measured requests/s of one long instance on the long requests (NaN if none)
   * @param rho muShort ÷ muHomogeneous
   * @param closedFormSavings α(1 − 1/ρ)
   * @param analytic ⌈λ/μ⌉ per fleet: homogeneous, short, long
   * @param homogeneous the verified homogeneous fleet
   * @param twoPool the verified two-pool fleet
   * @param savingsGpus GPUs the two-pool fleet saves
   * @param savingsPerYear dollars per year it saves
   * @param simulations simulator runs used
   */
  public record Result(double alpha, double rate, double muHomogeneous, double muShort,
      double muLong, double rho, double closedFormSavings, List<Integer> analytic,
      FleetResult homogeneous, FleetResult twoPool, int savingsGpus, double savingsPerYear,
      int simulations) {}

  /**
   * One analytic sizing point (no SLO search): per-instance throughputs measured with the
   * simulator, then ⌈λ/μ⌉ per pool.
   *
   * @param shortBudgetTokens B_short (the short pool's max-model-len)
   * @param rate arrival rate, req/s
   * @param alpha share within B_short
   * @param rho μ_short ÷ μ_homogeneous
   * @param homogeneous ⌈λ/μ_homogeneous⌉ instances
   * @param shortInstances ⌈αλ/μ_short⌉
   * @param longInstances ⌈(1 − α)λ/μ_long⌉
   * @param homogeneousGpus GPUs of the homogeneous fleet
   * @param twoPoolGpus GPUs of the two-pool fleet
   * @param closedFormSavings α(1 − 1/ρ)
   * @param discreteSavings 1 − two-pool GPUs ÷ homogeneous GPUs
   */
  public record SweepPoint(int shortBudgetTokens, double rate, double alpha, double rho,
      int homogeneous, int shortInstances, int longInstances, int homogeneousGpus,
      int twoPoolGpus, double closedFormSavings, double discreteSavings) {}

  /**
   * Analytic sizing of the two-pool fleet with its short pool (and B_short) set to each of
   * {@code budgets}, at each of {@code rates} (req/s; NaN: the trace's own rate).
   */
  public static List<SweepPoint> sweep(FleetConfig homogeneous, FleetConfig twoPool,
      TraceSource trace, List<Integer> budgets, List<Double> rates, Settings settings) {
    Sizer sizer = new Sizer(settings, trace);
    List<SweepPoint> points = new ArrayList<>();
    double muHomo = Double.NaN;
    for (int budget : budgets) {
      FleetConfig two = withShortLimit(twoPool, budget);
      TraceMix mix = TraceMix.of(trace, budget, settings.throughputSample());
      if (Double.isNaN(muHomo)) {
        muHomo = sizer.throughput(homogeneous, 0, mix.allSample());
      }
      double muShort = mix.shortSample().isEmpty() ? Double.NaN
          : sizer.throughput(two, 0, mix.shortSample());
      double muLong = mix.longSample().isEmpty() ? muHomo
          : sizer.throughput(two, 1, mix.longSample());
      double rho = Double.isNaN(muShort) ? 1 : muShort / muHomo;
      Fleet homoFleet = FleetConfigs.resolve(homogeneous);
      Fleet twoFleet = FleetConfigs.resolve(two);
      int homoGpusPer = homoFleet.pools().get(0).gpusPerInstance();
      int shortGpusPer = twoFleet.pools().get(0).gpusPerInstance();
      int longGpusPer = twoFleet.pools().get(1).gpusPerInstance();
      for (double rate : rates) {
        double lambda = Double.isNaN(rate) ? mix.ratePerSecond() : rate;
        int h = CostModel.instancesFor(lambda, muHomo);
        int sN = Double.isNaN(muShort) ? 0 : CostModel.instancesFor(mix.alpha() * lambda,
            muShort);
        int lN = CostModel.instancesFor((1 - mix.alpha()) * lambda, muLong);
        int hg = h * homoGpusPer;
        int tg = sN * shortGpusPer + lN * longGpusPer;
        points.add(new SweepPoint(budget, lambda, mix.alpha(), rho, h, sN, lN, hg, tg,
            CostModel.closedFormSavings(mix.alpha(), Math.max(rho, 1e-9)),
            hg == 0 ? 0 : 1 - (double) tg / hg));
      }
    }
    return points;
  }

  private static FleetConfig withShortLimit(FleetConfig twoPool, int budget) {
    FleetConfig.Routing r = twoPool.routing() != null ? twoPool.routing()
        : new FleetConfig.Routing(null, null, null, null, null);
    return twoPool.withPools(List.of(twoPool.pools().get(0).withMaxModelLen(budget),
            twoPool.pools().get(1)))
        .withRouting(new FleetConfig.Routing(r.policy(), budget, r.spillover(),
            r.spillPressure(), r.instancePicker()));
  }

  /** No fleet within the instance limit meets the SLO. */
  public static final class NoFleetMeetsSlo extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoFleetMeetsSlo(String message) {
      super(message);
    }
  }

  private final Settings settings;
  private final TraceSource trace;
  private int simulations;
  private int runNumber;

  private Sizer(Settings settings, TraceSource trace) {
    this.settings = settings;
    this.trace = trace;
  }

  /** Sizes both fleets of a preset (or any homogeneous / two-pool pair) for {@code trace}. */
  public static Result size(FleetConfig homogeneous, FleetConfig twoPool, TraceSource trace,
      Settings settings) {
    return new Sizer(settings, trace).run(homogeneous, twoPool);
  }

  private Result run(FleetConfig homoConfig, FleetConfig twoConfig) {
    if (homoConfig.pools().size() != 1 || twoConfig.pools().size() != 2) {
      throw new BadInputException("sizing needs a one-pool homogeneous fleet and a two-pool "
          + "fleet");
    }
    Fleet twoResolved = FleetConfigs.resolve(twoConfig);
    int bShort = twoResolved.shortBudgetTokens();
    TraceMix mix = TraceMix.of(trace, bShort, settings.throughputSample());
    if (mix.requests() == 0) {
      throw new BadInputException("the trace has no requests to size for");
    }
    double muHomo = throughput(homoConfig, 0, mix.allSample());
    double muShort = mix.shortSample().isEmpty() ? Double.NaN
        : throughput(twoConfig, 0, mix.shortSample());
    double muLong = mix.longSample().isEmpty() ? Double.NaN
        : throughput(twoConfig, 1, mix.longSample());
    double rho = Double.isNaN(muShort) ? 1 : muShort / muHomo;
    double lambda = mix.ratePerSecond();
    int guessHomo = Math.max(1, CostModel.instancesFor(lambda, muHomo));
    int guessShort = Double.isNaN(muShort) ? 1
        : Math.max(1, CostModel.instancesFor(mix.alpha() * lambda, muShort));
    int guessLong = Math.max(1, CostModel.instancesFor((1 - mix.alpha()) * lambda,
        Double.isNaN(muLong) ? muHomo : muLong));

    Map<List<Integer>, Summary> cache = new HashMap<>();
    int homo = smallest(n -> passes(homoConfig, List.of(n), cache), guessHomo);
    // Long pool first, with a generous short pool (nothing spills), then the short pool
    // (shrinking it pushes spillover into the long pool), then both again until stable.
    int shortBig = Math.max(guessShort * 2, guessShort + 2);
    int longN = smallest(n -> passes(twoConfig, List.of(shortBig, n), cache), guessLong);
    int shortN = shortBig;
    for (int round = 0; round < 3; round++) {
      int l = longN;
      int s2 = smallest(n -> passes(twoConfig, List.of(n, l), cache), Math.min(shortN,
          guessShort));
      int l2 = smallest(n -> passes(twoConfig, List.of(s2, n), cache), l);
      boolean stable = s2 == shortN && l2 == longN;
      shortN = s2;
      longN = l2;
      if (stable) {
        break;
      }
    }
    FleetResult homoResult = verified(homoConfig, List.of(homo), "homogeneous", cache);
    FleetResult twoResult = verified(twoConfig, List.of(shortN, longN), "two-pool", cache);
    return new Result(mix.alpha(), lambda, muHomo, muShort, muLong, rho,
        CostModel.closedFormSavings(mix.alpha(), Math.max(rho, 1e-9)),
        List.of(guessHomo, guessShort, guessLong), homoResult, twoResult,
        homoResult.gpus() - twoResult.gpus(),
        homoResult.costPerYear() - twoResult.costPerYear(), simulations);
  }

  /** Requests/s of one instance of pool {@code pool} when {@code sample} all arrive at once. */
  private double throughput(FleetConfig config, int pool, List<TraceRequest> sample) {
    FleetConfig one = config.withPools(List.of(config.pools().get(pool).withInstances(1)))
        .withRouting(new FleetConfig.Routing("single", null, false, null, null));
    Fleet fleet = FleetConfigs.resolve(one);
    List<TraceRequest> atZero = sample.stream().map(r -> r.withArrivalNanos(0)).toList();
    TraceSource source = new TraceSource() {
      @Override
      public String name() {
        return trace.name() + " (throughput sample)";
      }

      @Override
      public Stream<TraceRequest> open() {
        return atZero.stream();
      }
    };
    Simulation.Report report = simulate(fleet, source, "throughput-" + fleet.pools().get(0).name());
    return report.summary().requests().ok() / (report.result().endNanos() / 1e9);
  }

  private boolean passes(FleetConfig config, List<Integer> instances,
      Map<List<Integer>, Summary> cache) {
    Summary s = cache.get(instances);
    if (s == null) {
      Fleet fleet = FleetConfigs.resolve(withInstances(config, instances));
      s = simulate(fleet, trace, "candidate").summary();
      cache.put(instances, s);
    }
    return meets(s);
  }

  private boolean meets(Summary s) {
    long total = s.requests().total();
    long failed = total - s.requests().ok() - s.requests().rejectedContext();
    return s.ttftMs().p99() <= settings.slo().ttftMs() && s.tpotMs().p99() <= settings.slo()
        .tpotMs() && failed <= settings.maxRejection() * total;
  }

  private FleetResult verified(FleetConfig config, List<Integer> instances, String name,
      Map<List<Integer>, Summary> cache) {
    Fleet fleet = FleetConfigs.resolve(withInstances(config, instances));
    Simulation.Report report = Simulation.run(fleet, trace, settings.workDir().resolve(name),
        options());
    simulations++;
    double cost = fleet.pools().stream().mapToDouble(p -> CostModel.dollarsPerYear(p.gpus(),
        p.dollarsPerGpuHour(), settings.hoursPerYear())).sum();
    return new FleetResult(instances, fleet.gpus(), cost, report.summary(),
        meets(report.summary()));
  }

  private static FleetConfig withInstances(FleetConfig config, List<Integer> instances) {
    List<FleetConfig.Pool> pools = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      pools.add(config.pools().get(i).withInstances(instances.get(i)));
    }
    return config.withPools(pools);
  }

  /** The smallest n ≥ 1 with pass(n), assuming pass is monotone; starts near {@code guess}. */
  private int smallest(IntPredicate pass, int guess) {
    int hi = Math.max(1, guess);
    int lo = 0;
    if (!pass.test(hi)) {
      lo = hi;
      do {
        lo = hi;
        hi = hi * 2;
        if (hi > settings.maxInstances()) {
          throw new NoFleetMeetsSlo("no fleet of up to " + settings.maxInstances()
              + " instances per pool meets the SLO; raise --max-instances or relax the SLO "
              + "(a prefill that alone takes longer than the TTFT objective fails it at any "
              + "size)");
        }
      } while (!pass.test(hi));
    } else {
      while (hi > 1) {
        int next = Math.min(hi - 1, (int) Math.floor(hi * 0.9));
        if (!pass.test(next)) {
          lo = next;
          break;
        }
        hi = next;
      }
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (pass.test(mid)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private Simulation.Report simulate(Fleet fleet, TraceSource source, String label) {
    Path dir = settings.workDir().resolve("runs").resolve(String.format("%03d-%s", runNumber++,
        label));
    Simulation.Report report = Simulation.run(fleet, source, dir, options());
    simulations++;
    RunDirectory.deleteTree(dir);
    return report;
  }

  private Simulation.Options options() {
    return new Simulation.Options(settings.slo(), 10_000_000_000L, "sizing", "", Map.of());
  }

}
