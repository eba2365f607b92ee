package io.poolbench.harness.cli;

import io.poolbench.harness.compare.Comparison;
import io.poolbench.harness.compare.RateSweep;
import io.poolbench.harness.compare.RouterConfigComparison;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.reports.html.SweepReporter;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.reports.sweep.SweepResult;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.config.RouterConfigs;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import io.poolbench.traces.TraceSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench sweep}: each routing mode at rising rates until it saturates. */
@Command(
    name = "sweep",
    header = "Step the request rate for each routing mode until it saturates; report the highest "
        + "rate that meets the SLO.",
    description = {
      "The live counterpart of 'size': instead of asking how many GPUs a rate needs, asks how "
          + "much rate these GPUs carry. For each step rate (--rates, or --ramp-up-strategy "
          + "with --ramp-up-start-rps, --ramp-up-end-rps and --steps), every mode still running "
          + "replays the trace time-scaled to that rate for --step-duration, exactly as "
          + "'compare' runs it: the mock fleet of --fleet/--preset behind the router (live, the "
          + "default), the simulator (--sim), or real engines behind one router config per mode "
          + "(--router-configs).",
      "A step meets the SLO when TTFT and TPOT p99 are within --slo-ttft-p99/--slo-tpot-p99 "
          + "and at most 1%% of its requests failed. It is saturated when it misses the SLO or "
          + "its goodput rose less than --min-goodput-gain over the lower rates; a mode stops "
          + "after --patience saturated steps in a row. Writes one run directory per step and "
          + "mode (rate-<R>/<mode>-live), sweep.json and sweep.html, and prints the verdict. "
          + "Exit 3 with --assert-rate when the best mode carries less than that rate."
    })
final class SweepCommand implements Callable<Integer> {

  @Option(names = "--trace", paramLabel = "<source>", required = true,
      description = "The trace: a file path, or builtin:<name>[?key=value&...]. Each step "
          + "time-scales it to the step's rate (keeping its burst shape) and loops or cuts it "
          + "to --step-duration.")
  String traceSource;

  @Mixin TraceOptions trace;

  @Mixin FleetOptions fleetOptions;

  @Option(names = "--modes", paramLabel = "<mode>", split = ",",
      description = "Routing modes, as for compare (default: single,token-budget; with "
          + "--router-configs, one name per file, default the file names).")
  List<String> modes;

  @Option(names = "--router-configs", paramLabel = "<router.yaml>", split = ",",
      description = "Instead of --fleet/--preset: one router config per mode, in front of real "
          + "or staging engines.")
  List<Path> routerConfigs;

  @Option(names = "--gpus-per-endpoint", paramLabel = "<n>", defaultValue = "1",
      description = "With --router-configs: GPUs behind each endpoint URL. Default: 1.")
  int gpusPerEndpoint;

  @Option(names = "--model", paramLabel = "<name>",
      description = "With --router-configs: the model of every request (default: the first "
          + "the first endpoint lists).")
  String model;

  @Option(names = "--rates", paramLabel = "<rps>", split = ",",
      description = "The step rates in req/s, rising (e.g. 2,4,8,16).")
  List<String> rates;

  @Option(names = "--steps", paramLabel = "<n>", defaultValue = "5",
      description = "Steps of a ramp, both ends included. Default: 5.")
  int steps;

  @Option(names = "--step-duration", paramLabel = "<duration>", defaultValue = "60s",
      description = "Length of each step (e.g. 30s, 2m). Default: 60s.")
  String stepDuration;

  @Option(names = "--patience", paramLabel = "<n>", defaultValue = "1",
      description = "Saturated steps in a row after which a mode stops. Default: 1.")
  int patience;

  @Option(names = "--min-goodput-gain", paramLabel = "<fraction>", defaultValue = "0.02",
      description = "A step whose goodput rose less than this fraction over the lower rates' "
          + "best counts as saturated. Default: 0.02.")
  double minGain;

  @Option(names = "--sim", description = "Run the simulator instead of the live mock fleet.")
  boolean sim;

  @Option(names = "--assert-rate", paramLabel = "<rps>",
      description = "Exit 3 unless the best mode meets the SLO at this rate or more.")
  String assertRate;

  @Option(names = {"-o", "--output"}, paramLabel = "<dir>", required = true,
      description = "Directory for the step run directories, sweep.json and sweep.html.")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (trace.requestRate != null || trace.duration != null) {
      throw new BadInputException((trace.requestRate != null ? "--request-rate" : "--duration")
          + " does not apply to sweep: each step sets the rate (--rates or --ramp-up-*) and its "
          + "length (--step-duration)");
    }
    long seed = Quantities.longAtLeast(trace.seed, Long.MIN_VALUE, "--seed");
    List<Double> stepRates = stepRates();
    long stepNanos = Quantities.durationNanos(stepDuration, "--step-duration");
    Double wanted = assertRate == null ? null : Quantities.positive(assertRate, "--assert-rate");
    Summary.Slo slo = fleetOptions.slo();
    RateSweep.StepRunner runner;
    List<String> chosen;
    String kind = sim ? "sim" : "live";
    if (routerConfigs != null) {
      if (fleetOptions.given()) {
        throw new BadInputException("--router-configs and --fleet/--preset exclude each other: "
            + "give one");
      }
      if (sim) {
        throw new BadInputException("--sim needs a fleet (--fleet or --preset) to simulate; "
            + "--router-configs runs live only");
      }
      if (gpusPerEndpoint < 1) {
        throw new BadInputException("--gpus-per-endpoint (" + gpusPerEndpoint + ") must be >= 1");
      }
      chosen = CompareCommand.routerModeNames(routerConfigs, modes);
      String modelName = model;
      if (modelName == null) {
        ProxySettings first = RouterConfigs.load(routerConfigs.get(0));
        modelName = LoadgenCommand.firstModel(first.endpoints().get(0).get(0), null);
      }
      for (Path config : routerConfigs) {
        RouterConfigs.load(config); // a bad file fails before the first step
      }
      String m = modelName;
      List<String> all = chosen;
      runner = (active, source, dir) -> {
        List<Path> configs = new ArrayList<>();
        for (String mode : active) {
          configs.add(routerConfigs.get(all.indexOf(mode)));
        }
        return new RouterConfigComparison(new RouterConfigComparison.Plan(active, configs,
            gpusPerEndpoint, m, slo, seed, false), System.err, VersionProvider.version(),
            VersionProvider.commit()).run(source, dir);
      };
    } else {
      if (!fleetOptions.given()) {
        throw new BadInputException("Missing required option: give --fleet=<fleet.yaml>, "
            + "--preset=<name> or --router-configs=<router.yaml>[,<router.yaml>...]");
      }
      if (model != null) {
        throw new BadInputException("--model applies to --router-configs; with a fleet the "
            + "fleet file sets the model");
      }
      FleetConfig fleet = fleetOptions.config(seed);
      chosen = modes != null ? modes : List.of("single", "token-budget");
      for (String mode : chosen) {
        Comparison.checkMode(mode);
      }
      List<Comparison.Kind> kinds = List.of(sim ? Comparison.Kind.SIM : Comparison.Kind.LIVE);
      runner = (active, source, dir) -> new Comparison(new Comparison.Plan(fleet, active, kinds,
          slo, seed), System.err, VersionProvider.version(), VersionProvider.commit())
          .run(source, dir);
    }
    TraceSource base = trace.resolve(traceSource, false); // the ramp sets the steps here
    RateSweep.Plan plan = new RateSweep.Plan(chosen, stepRates, stepNanos, slo, patience,
        minGain, kind);
    long start = System.nanoTime();
    SweepResult result = new RateSweep(plan, runner, System.err).run(base, output);
    Files.createDirectories(output);
    RunDirectory.mapper().writerWithDefaultPrettyPrinter()
        .writeValue(output.resolve(SweepResult.FILE).toFile(), result);
    Path html = SweepReporter.write(result, output);
    PrintWriter out = spec.commandLine().getOut();
    print(out, result);
    out.printf(Locale.US, "swept %d modes over %d rates in %.0f s; %s, report: %s%n",
        chosen.size(), stepRates.size(), (System.nanoTime() - start) / 1e9,
        output.resolve(SweepResult.FILE), html);
    out.flush();
    if (wanted != null) {
      double best = result.modes().stream().filter(c -> c.capacityRps() != null)
          .mapToDouble(SweepResult.Curve::capacityRps).max().orElse(0);
      if (best < wanted) {
        out.printf(Locale.US, "rate assertion failed: the best mode meets the SLO up to %s "
            + "req/s, below --assert-rate %s%n", best == 0 ? "no rate" : SweepResult.number(best), SweepResult.number(wanted));
        out.flush();
        return ExitCodes.ASSERTIONS_FAILED;
      }
    }
    return ExitCodes.OK;
  }

  private List<Double> stepRates() {
    boolean ramp = trace.ramped();
    String rampStrategy = trace.rampUpStrategy;
    String rampStart = trace.rampUpStartRps;
    String rampEnd = trace.rampUpEndRps;
    if (ramp == (rates != null)) {
      throw new BadInputException(ramp
          ? "--rates and --ramp-up-* exclude each other: give one"
          : "Missing the step rates: give --rates R1,R2,... or --ramp-up-strategy "
              + "linear|exponential with --ramp-up-start-rps and --ramp-up-end-rps");
    }
    if (ramp) {
      if (rampStrategy == null || rampStart == null || rampEnd == null) {
        throw new BadInputException("A ramp needs all of --ramp-up-strategy, "
            + "--ramp-up-start-rps and --ramp-up-end-rps");
      }
      return RateSweep.rampRates(rampStrategy, Quantities.positive(rampStart,
          "--ramp-up-start-rps"), Quantities.positive(rampEnd, "--ramp-up-end-rps"), steps);
    }
    List<Double> values = new ArrayList<>();
    for (String r : rates) {
      values.add(Quantities.positive(r.strip(), "--rates"));
    }
    return values;
  }

  private static void print(PrintWriter out, SweepResult r) {
    out.printf(Locale.US, "%-24s %9s %9s %11s %11s %10s %10s  %s%n", "mode", "rate", "sent",
        "goodput", "goodput/GPU", "TTFT p99", "TPOT p99", "SLO");
    for (SweepResult.Curve c : r.modes()) {
      for (SweepResult.Point p : c.points()) {
        out.printf(Locale.US, "%-24s %9s %9.2f %11.2f %11s %10.1f %10.1f  %s%n", c.mode(),
            SweepResult.number(p.plannedRps()), p.sentRps(), p.goodputRps(),
            p.goodputPerGpu() == null ? "—" : String.format(Locale.US, "%.3f", p.goodputPerGpu()),
            p.ttftP99Ms(), p.tpotP99Ms(), p.meetsSlo() ? "met" : "missed"
                + (p.saturation().isEmpty() ? "" : " (" + String.join("; ", p.saturation()) + ")"));
      }
    }
    for (SweepResult.Curve c : r.modes()) {
      out.printf(Locale.US, "%s: %s; stopped: %s%n", c.mode(), c.capacityRps() == null
          ? "meets the SLO at no rate tried"
          : "meets the SLO up to " + SweepResult.number(c.capacityRps()) + " req/s (goodput "
              + String.format(Locale.US, "%.2f", c.capacityGoodputRps()) + " req/s)",
          c.stopReason());
    }
    out.println(r.verdict());
  }

}
