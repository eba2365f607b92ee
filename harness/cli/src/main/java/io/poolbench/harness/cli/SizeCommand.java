package io.poolbench.harness.cli;

import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.Preset;
import io.poolbench.harness.sizing.CostModel;
import io.poolbench.harness.sizing.Sizer;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench size}: the smallest homogeneous and two-pool fleets that meet an SLO. */
@Command(
    name = "size",
    header = "Find the smallest homogeneous and two-pool fleets that meet an SLO on a trace.",
    description = {
      "Measures α (the share of requests within B_short) and the per-instance throughput of "
          + "each pool configuration, prints the papers' closed form α(1 − 1/ρ) and the discrete "
          + "sizing ⌈λ/μ⌉, then searches the instance counts with the simulator: the answer for "
          + "each pool is the smallest count that meets the SLO while one fewer fails.",
      "With --fleet, the file's two-pool fleet is sized and the homogeneous fleet is its last "
          + "(long) pool alone. Set the rate with the trace flags, e.g. --arrival poisson "
          + "--request-rate 1000 --duration 60s."
    })
public final class SizeCommand implements Callable<Integer> {

  @Mixin FleetOptions fleetOptions;

  @Option(names = "--trace", paramLabel = "<source>", required = true,
      description = "The trace: a file path, or builtin:<name>[?key=value&...].")
  String traceSource;

  @Mixin TraceOptions trace;

  @Option(names = "--max-rejection", paramLabel = "<fraction>", defaultValue = "0.001",
      description = "Highest share of failed requests a fleet may have. Default: 0.001.")
  double maxRejection;

  @Option(names = "--hours-per-year", paramLabel = "<hours>", defaultValue = "8760",
      description = "Hours per year for $ figures. Default: 8760.")
  double hoursPerYear;

  @Option(names = "--throughput-sample", paramLabel = "<n>", defaultValue = "2000",
      description = "Requests per pool used to measure per-instance throughput. Default: 2000.")
  int throughputSample;

  @Option(names = "--max-instances", paramLabel = "<n>", defaultValue = "5000",
      description = "Give up above this many instances per pool. Default: 5000.")
  int maxInstances;

  @Option(names = {"-o", "--output"}, paramLabel = "<dir>",
      description = "Where the two verifying runs are written (homogeneous/, two-pool/). "
          + "Default: a temporary directory.")
  Path output;

  @Option(names = "--sweep-b-short", paramLabel = "<tokens>", split = ",",
      description = "Instead of the SLO search, size analytically (measured throughput, then "
          + "ceil(lambda/mu)) with the short pool's max-model-len and B_short set to each value, "
          + "e.g. 2048,4096,8192,16384,32768.")
  List<Integer> sweepBudgets;

  @Option(names = "--sweep-rate", paramLabel = "<rps>", split = ",",
      description = "Instead of the SLO search, size analytically at each arrival rate, e.g. "
          + "100,500,1000,2000 (combines with --sweep-b-short).")
  List<Double> sweepRates;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long seed = Quantities.longAtLeast(trace.seed, Long.MIN_VALUE, "--seed");
    FleetConfig homogeneous;
    FleetConfig twoPool;
    Preset preset = fleetOptions.preset();
    if (preset != null) {
      homogeneous = fleetOptions.adjust(preset.homogeneous(), seed);
      twoPool = fleetOptions.adjust(preset.twoPool(), seed);
    } else {
      twoPool = fleetOptions.config(seed);
      if (twoPool.pools().size() != 2) {
        throw new BadInputException("size needs a two-pool fleet file; this one has "
            + twoPool.pools().size() + " pools");
      }
      FleetConfig.Pool last = twoPool.pools().get(1);
      homogeneous = twoPool.withName(twoPool.name() + "-homogeneous")
          .withPools(List.of(new FleetConfig.Pool("homogeneous", last.instances(),
              last.tensorParallel(), last.billedGpusPerInstance(), last.maxModelLen(),
              last.maxNumSeqs(), last.maxNumBatchedTokens(), last.numGpuBlocks(),
              last.maxNumQueuedReqs())))
          .withRouting(new FleetConfig.Routing("single", null, false, null,
              twoPool.routing() == null ? null : twoPool.routing().instancePicker()));
    }
    Path work = output != null ? output : Files.createTempDirectory("poolbench-size");
    Sizer.Settings settings = new Sizer.Settings(fleetOptions.slo(), maxRejection, hoursPerYear,
        throughputSample, work, maxInstances);
    if (sweepBudgets != null || sweepRates != null) {
      int bShort = twoPool.routing() != null && twoPool.routing().shortBudgetTokens() != null
          ? twoPool.routing().shortBudgetTokens() : twoPool.pools().get(0).maxModelLen();
      List<Sizer.SweepPoint> points = Sizer.sweep(homogeneous, twoPool,
          trace.resolve(traceSource), sweepBudgets != null ? sweepBudgets : List.of(bShort),
          sweepRates != null ? sweepRates : List.of(Double.NaN), settings);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(RunDirectory.mapper().writeValueAsString(points));
      } else {
        out.println("analytic sweep (measured per-instance throughput, ceil(lambda/mu) per pool; "
            + "not SLO-verified)");
        out.printf(Locale.US, "%8s %8s %7s %6s %7s %6s %6s %9s %9s %9s %9s%n", "b_short",
            "rate", "alpha", "rho", "homog", "short", "long", "homo_gpu", "two_gpu",
            "closed%", "discrete%");
        for (Sizer.SweepPoint p : points) {
          out.printf(Locale.US, "%8d %8.0f %7.4f %6.2f %7d %6d %6d %9d %9d %9.1f %9.1f%n",
              p.shortBudgetTokens(), p.rate(), p.alpha(), p.rho(), p.homogeneous(),
              p.shortInstances(), p.longInstances(), p.homogeneousGpus(), p.twoPoolGpus(),
              100 * p.closedFormSavings(), 100 * p.discreteSavings());
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    Sizer.Result r;
    try {
      r = Sizer.size(homogeneous, twoPool, trace.resolve(traceSource), settings);
    } catch (Sizer.NoFleetMeetsSlo e) {
      spec.commandLine().getErr().println("poolbench: " + e.getMessage());
      return ExitCodes.ASSERTIONS_FAILED;
    }
    if (json) {
      out.println(RunDirectory.mapper().writeValueAsString(toJson(r)));
    } else {
      print(out, r);
      out.println("verifying runs: " + work.resolve("homogeneous") + ", "
          + work.resolve("two-pool"));
    }
    out.flush();
    return r.homogeneous().meetsSlo() && r.twoPool().meetsSlo() ? ExitCodes.OK
        : ExitCodes.ASSERTIONS_FAILED;
  }

  static Map<String, Object> toJson(Sizer.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alpha", r.alpha());
    m.put("rate", r.rate());
    m.put("mu_homogeneous", r.muHomogeneous());
    m.put("mu_short", r.muShort());
    m.put("mu_long", Double.isNaN(r.muLong()) ? null : r.muLong());
    m.put("rho", r.rho());
    m.put("closed_form_savings", r.closedFormSavings());
    m.put("analytic_instances", Map.of("homogeneous", r.analytic().get(0), "short",
        r.analytic().get(1), "long", r.analytic().get(2)));
    m.put("homogeneous", fleet(r.homogeneous()));
    m.put("two_pool", fleet(r.twoPool()));
    m.put("savings_gpus", r.savingsGpus());
    m.put("savings_per_year", r.savingsPerYear());
    m.put("simulations", r.simulations());
    return m;
  }

  private static Map<String, Object> fleet(Sizer.FleetResult f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instances", f.instances());
    m.put("gpus", f.gpus());
    m.put("cost_per_year", f.costPerYear());
    m.put("meets_slo", f.meetsSlo());
    m.put("summary", f.summary());
    return m;
  }

  static void print(PrintWriter out, Sizer.Result r) {
    out.printf(Locale.US, "trace: %.1f req/s; alpha (share within B_short) = %.4f%n", r.rate(),
        r.alpha());
    out.printf(Locale.US, "measured per-instance throughput: homogeneous %.3f req/s, short %.3f "
        + "req/s, long %s; rho = %.3f%n", r.muHomogeneous(), r.muShort(),
        Double.isNaN(r.muLong()) ? "n/a (no long requests)"
            : String.format(Locale.US, "%.3f req/s", r.muLong()), r.rho());
    out.printf(Locale.US, "closed form alpha(1 - 1/rho) = %.1f%% savings%n",
        100 * r.closedFormSavings());
    out.printf(Locale.US, "discrete sizing ceil(lambda/mu): homogeneous %d, short %d + long %d%n",
        r.analytic().get(0), r.analytic().get(1), r.analytic().get(2));
    line(out, "homogeneous", r.homogeneous());
    line(out, "two-pool", r.twoPool());
    double pct = r.homogeneous().gpus() == 0 ? 0
        : 100.0 * r.savingsGpus() / r.homogeneous().gpus();
    out.printf(Locale.US, "savings: %d GPUs (%.1f%%), $%,.0f per year (%d simulations)%n",
        r.savingsGpus(), pct, r.savingsPerYear(), r.simulations());
  }

  private static void line(PrintWriter out, String name, Sizer.FleetResult f) {
    var s = f.summary();
    out.printf(Locale.US, "%-11s instances %s = %d GPUs, $%,.0f/yr: ttft p99 %.0f ms, tpot p99 "
        + "%.1f ms, ok %.3f%%, preemptions %.2f per 1,000, deaths %.2f/h%s%n", name,
        f.instances(), f.gpus(), f.costPerYear(), s.ttftMs().p99(), s.tpotMs().p99(),
        100.0 * s.requests().ok() / Math.max(1, s.requests().total()), s.preemptionsPer1000(),
        s.engineDeathsPerHour() == null ? 0 : s.engineDeathsPerHour(),
        f.meetsSlo() ? "" : "  (SLO NOT MET)");
  }

  static double cost(int gpus, double price, double hours) {
    return CostModel.dollarsPerYear(gpus, price, hours);
  }
}
