package io.poolbench.harness.cli;

import io.poolbench.harness.compare.Comparison;
import io.poolbench.harness.compare.ModeSizing;
import io.poolbench.harness.compare.RouterConfigComparison;
import io.poolbench.harness.sizing.Sizer;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.reports.html.HtmlReporter;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RunData;
import io.poolbench.reports.model.RunLoader;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.reports.text.TextReporter;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.config.RouterConfigs;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import io.poolbench.traces.TraceSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench compare}: one trace through several routing modes, live and/or simulated. */
@Command(
    name = "compare",
    header = "Compare routing modes (single pool vs two pools) on one trace, live and/or simulated.",
    description = {
      "For each mode (a router-core policy; 'single' is the homogeneous fleet with as many GPUs, "
          + "every instance configured like the largest pool), starts the mock vLLM fleet of the "
          + "fleet file or preset in-process with the poolbench router in front, replays the trace "
          + "through it with the load generator (live), and/or runs the simulator on the same "
          + "fleet (--sim, --also-sim). Writes one run directory per mode and kind, and an HTML "
          + "report, and prints the side-by-side table.",
      "With --router-configs instead of a fleet, each mode is one router config file (the "
          + "router service's YAML) driving real or staging engines: the router starts "
          + "in-process with that file, on an ephemeral loopback port unless --router-listen, "
          + "and the trace is replayed through it. Mode names come from --modes (one per file) "
          + "or the file names. Engines are billed --gpus-per-endpoint GPUs each.",
      "--equal-gpus (the default) runs every mode on the fleet's GPUs; --sized first sizes "
          + "each mode for the SLO with the simulator's sizing search (as poolbench size) and "
          + "runs it at its sized fleet, showing the GPUs needed and the saving.",
      "Live runs read every engine's /metrics around the run, so preemptions are counted. "
          + "They replay in real time: size the trace (--duration, --request-rate) to what the "
          + "machine can serve. Exit 3 with --assert-slo when a run misses the SLO."
    })
final class CompareCommand implements Callable<Integer> {

  @Option(names = "--trace", paramLabel = "<source>", required = true,
      description = "The trace: a file path, or builtin:<name>[?key=value&...].")
  String traceSource;

  @Mixin TraceOptions trace;

  @Mixin FleetOptions fleetOptions;

  @Option(names = "--modes", paramLabel = "<mode>", split = ",",
      description = "Routing modes: router-core policies with a fleet (default: single,"
          + "token-budget), each optionally with +affinity for prefix-affinity endpoint picking "
          + "inside its pools (single+affinity, token-budget+affinity); with --router-configs, "
          + "one name per file (default: the file names).")
  List<String> modes;

  @Option(names = "--router-configs", paramLabel = "<router.yaml>",
      split = ",",
      description = "Instead of --fleet/--preset: one router config file per mode, whose "
          + "endpoints are real (or staging) engines.")
  List<Path> routerConfigs;

  @Option(names = "--gpus-per-endpoint", paramLabel = "<n>",
      description = "With --router-configs: GPUs behind each endpoint URL, for goodput and "
          + "tokens per GPU (a router config has no GPU count). Default: 1.")
  Integer gpusPerEndpoint;

  @Option(names = "--model", paramLabel = "<name>",
      description = "With --router-configs: the model field of every request. Default: the "
          + "first model the first endpoint lists at /v1/models.")
  String model;

  @Option(names = "--router-listen",
      description = "With --router-configs: start each router on its file's listen address "
          + "instead of an ephemeral loopback port.")
  boolean routerListen;

  /** Equal GPUs or sized for the SLO. */
  static final class Sizing {
    @Option(names = "--equal-gpus",
        description = "Run every mode on the fleet's GPUs (single: as many GPUs, every "
            + "instance like the largest pool). The default.")
    boolean equalGpus;

    @Option(names = "--sized",
        description = "With a fleet: size each mode for the SLO with the simulator first, then "
            + "run it at its sized fleet; shows GPUs needed and the saving.")
    boolean sized;
  }

  @ArgGroup(exclusive = true)
  Sizing sizing;

  /** Live, simulated or both. */
  static final class Kinds {
    @Option(names = "--sim", description = "Run the simulator only (no live fleet).")
    boolean simOnly;

    @Option(names = "--also-sim", description = "Run both live and simulated, for overlay.")
    boolean alsoSim;
  }

  @ArgGroup(exclusive = true)
  Kinds kinds;

  @Option(names = "--assert-slo",
      description = "Exit 3 when any run misses the SLO (P99 TTFT and TPOT).")
  boolean assertSlo;

  @Option(names = {"-o", "--output"}, paramLabel = "<dir>", required = true,
      description = "Directory for the run directories and the report.")
  Path output;

  @Option(names = "--single-file",
      description = "Write the HTML report as one self-contained file (stylesheet and script "
          + "inlined) for sharing.")
  boolean singleFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long seed = Quantities.longAtLeast(trace.seed, Long.MIN_VALUE, "--seed");
    boolean sized = sizing != null && sizing.sized;
    if (routerConfigs != null) {
      if (fleetOptions.given()) {
        throw new BadInputException("--router-configs and --fleet/--preset exclude each other: "
            + "give one");
      }
      if (kinds != null) {
        throw new BadInputException((kinds.simOnly ? "--sim" : "--also-sim") + " needs a fleet "
            + "(--fleet or --preset) to simulate; --router-configs runs live only");
      }
      if (sized) {
        throw new BadInputException("--sized needs a fleet (--fleet or --preset) to size; "
            + "--router-configs runs the given endpoints as they are");
      }
      return runRouterConfigs(seed);
    }
    if (!fleetOptions.given()) {
      throw new BadInputException("Missing required option: give --fleet=<fleet.yaml>, "
          + "--preset=<name> or --router-configs=<router.yaml>[,<router.yaml>...]");
    }
    String routerOnly = gpusPerEndpoint != null ? "--gpus-per-endpoint" : model != null
        ? "--model" : routerListen ? "--router-listen" : null;
    if (routerOnly != null) {
      throw new BadInputException(routerOnly + " applies to --router-configs; with a fleet the "
          + "fleet file sets GPUs and model, and the router listens on an ephemeral port");
    }
    FleetConfig fleet = fleetOptions.config(seed);
    List<String> chosenModes = modes != null ? modes : List.of("single", "token-budget");
    for (String mode : chosenModes) {
      Comparison.checkMode(mode); // an unknown mode fails here, naming the valid ones
    }
    List<Comparison.Kind> chosen = kinds == null ? List.of(Comparison.Kind.LIVE)
        : kinds.simOnly ? List.of(Comparison.Kind.SIM)
        : List.of(Comparison.Kind.LIVE, Comparison.Kind.SIM);
    Summary.Slo slo = fleetOptions.slo();
    TraceSource source = trace.resolve(traceSource);
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    Comparison.Plan plan = new Comparison.Plan(fleet, chosenModes, chosen, slo, seed);
    ModeSizing sizedFleets = null;
    if (sized) {
      try {
        sizedFleets = ModeSizing.size(fleet, chosenModes, source, slo,
            output.resolve("sizing"), System.err);
      } catch (Sizer.NoFleetMeetsSlo e) {
        spec.commandLine().getErr().println("poolbench: " + e.getMessage());
        return ExitCodes.ASSERTIONS_FAILED;
      }
      plan = new Comparison.Plan(fleet, chosenModes, chosen, slo, seed, sizedFleets.fleets());
    }
    List<Comparison.Run> runs = new Comparison(plan, System.err, VersionProvider.version(),
        VersionProvider.commit()).run(source, output);
    ModeSizing shown = sizedFleets;
    return report(out, runs, slo, output, assertSlo, singleFile, start,
        w -> {
          if (shown != null) {
            printSizing(w, shown, slo);
          }
        });
  }

  private int runRouterConfigs(long seed) throws Exception {
    List<String> chosenModes = routerModeNames(routerConfigs, modes);
    int gpusEach = gpusPerEndpoint == null ? 1 : gpusPerEndpoint;
    if (gpusEach < 1) {
      throw new BadInputException("--gpus-per-endpoint (" + gpusEach + ") must be >= 1");
    }
    Summary.Slo slo = fleetOptions.slo();
    TraceSource source = trace.resolve(traceSource);
    String modelName = model;
    if (modelName == null) {
      ProxySettings first = RouterConfigs.load(routerConfigs.get(0));
      modelName = LoadgenCommand.firstModel(first.endpoints().get(0).get(0), null);
    }
    long start = System.nanoTime();
    RouterConfigComparison.Plan plan = new RouterConfigComparison.Plan(chosenModes,
        routerConfigs, gpusEach, modelName, slo, seed, routerListen);
    List<Comparison.Run> runs = new RouterConfigComparison(plan, System.err,
        VersionProvider.version(), VersionProvider.commit()).run(source, output);
    return report(spec.commandLine().getOut(), runs, slo, output, assertSlo, singleFile, start,
        w -> { });
  }

  /**
   * The mode names of {@code --router-configs}: {@code modes} (one per file) or the files' names
   * without extension; checked to differ and to be usable as directory names.
   */
  static List<String> routerModeNames(List<Path> routerConfigs, List<String> modes) {
    List<String> names = new ArrayList<>();
    for (Path p : routerConfigs) {
      String file = p.getFileName().toString();
      names.add(file.replaceFirst("\\.(ya?ml|json)$", ""));
    }
    if (modes != null && modes.size() != routerConfigs.size()) {
      throw new BadInputException("--modes names " + modes.size() + " modes but "
          + "--router-configs gives " + routerConfigs.size() + " files: give one mode per file, "
          + "in the same order");
    }
    List<String> chosenModes = modes != null ? modes : names;
    if (chosenModes.stream().distinct().count() != chosenModes.size()) {
      throw new BadInputException("Mode names must differ (they name the run directories): "
          + String.join(", ", chosenModes) + "; name them with --modes");
    }
    for (String m : chosenModes) {
      if (!m.matches("[A-Za-z0-9._-]+")) {
        throw new BadInputException("Mode name '" + m + "' must be letters, digits, '.', '_' "
            + "or '-' (it names a run directory)");
      }
    }
    return chosenModes;
  }

  private static void printSizing(PrintWriter out, ModeSizing sizing, Summary.Slo slo) {
    out.printf(Locale.US, "GPUs needed (sized in the simulator for P99 TTFT %.0f ms, TPOT %.0f "
        + "ms, at most %.1f%% failed):%n", slo.ttftMs(), slo.tpotMs(),
        100 * ModeSizing.MAX_REJECTION);
    for (var e : sizing.gpusNeeded().entrySet()) {
      double saving = sizing.saving(e.getKey());
      out.printf(Locale.US, "  %-16s %5d GPUs%s%n", e.getKey(), e.getValue(),
          Double.isNaN(saving) || sizing.fleets().get(e.getKey()).pools().size() == 1 ? ""
              : String.format(Locale.US, "   saving %.1f%% (1 - GPUs / one pool's)",
                  100 * saving));
    }
  }

  /** Runs a comparison, writes the report and prints the table; shared with {@code demo}. */
  static int run(PrintWriter out, Comparison.Plan plan, TraceSource source, Path output,
      boolean assertSlo, boolean singleFile) throws Exception {
    long start = System.nanoTime();
    List<Comparison.Run> runs = new Comparison(plan, System.err, VersionProvider.version(),
        VersionProvider.commit()).run(source, output);
    return report(out, runs, plan.slo(), output, assertSlo, singleFile, start, w -> { });
  }

  /**
   * Writes the report of {@code runs}, prints the table (then {@code afterTable}), and checks the
   * SLO if asked.
   */
  static int report(PrintWriter out, List<Comparison.Run> runs, Summary.Slo slo, Path output,
      boolean assertSlo, boolean singleFile, long startNanos,
      java.util.function.Consumer<PrintWriter> afterTable)
      throws Exception {
    long start = startNanos;
    List<RunData> data = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Comparison.Run r : runs) {
      data.add(RunLoader.load(r.dir()));
      labels.add(r.mode()); // the report adds "· simulate" / "· loadgen" and pairs them
    }
    Report report = Report.of(data, labels, null);
    out.print(TextReporter.render(report));
    afterTable.accept(out);
    Path html = new HtmlReporter(singleFile).write(report, output.resolve("report"));
    out.printf(Locale.US, "compared %d runs in %.0f s; report: %s%n", runs.size(),
        (System.nanoTime() - start) / 1e9, html);
    out.flush();
    if (assertSlo) {
      List<String> missed = new ArrayList<>();
      for (Comparison.Run r : runs) {
        Summary s = r.summary();
        if (s.ttftMs().p99() > slo.ttftMs() || s.tpotMs().p99() > slo.tpotMs()) {
          missed.add(r.mode() + " " + r.kind().name().toLowerCase(Locale.ROOT));
        }
      }
      if (!missed.isEmpty()) {
        out.println("SLO missed (P99 TTFT " + slo.ttftMs() + " ms, TPOT " + slo.tpotMs()
            + " ms) by: " + String.join(", ", missed));
        out.flush();
        return ExitCodes.ASSERTIONS_FAILED;
      }
    }
    if (runs.isEmpty()) {
      throw new BadInputException("Nothing was run: give at least one mode");
    }
    return ExitCodes.OK;
  }
}
