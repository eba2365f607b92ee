package io.poolbench.harness.cli;

import io.poolbench.harness.compare.Comparison;
import io.poolbench.harness.sim.FleetConfig;
import io.poolbench.reports.ReportFormat;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RunData;
import io.poolbench.reports.model.RunLoader;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.reports.text.TextReporter;
import io.poolbench.router.policy.PolicyKind;
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
      "Live runs replay in real time: size the trace (--duration, --request-rate) to what the "
          + "machine can serve. Exit 3 with --assert-slo when a run misses the SLO."
    })
final class CompareCommand implements Callable<Integer> {

  @Option(names = "--trace", paramLabel = "<source>", required = true,
      description = "The trace: a file path, or builtin:<name>[?key=value&...].")
  String traceSource;

  @Mixin TraceOptions trace;

  @Mixin FleetOptions fleetOptions;

  @Option(names = "--modes", paramLabel = "<mode>[,<mode>...]", split = ",",
      defaultValue = "single,token-budget",
      description = "Routing modes (router-core policies). Default: ${DEFAULT-VALUE}.")
  List<String> modes;

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

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long seed = Quantities.longAtLeast(trace.seed, Long.MIN_VALUE, "--seed");
    FleetConfig fleet = fleetOptions.config(seed);
    for (String mode : modes) {
      PolicyKind.named(mode); // an unknown mode fails here, naming the valid ones
    }
    List<Comparison.Kind> chosen = kinds == null ? List.of(Comparison.Kind.LIVE)
        : kinds.simOnly ? List.of(Comparison.Kind.SIM)
        : List.of(Comparison.Kind.LIVE, Comparison.Kind.SIM);
    Summary.Slo slo = fleetOptions.slo();
    TraceSource source = trace.resolve(traceSource);
    return run(spec.commandLine().getOut(), new Comparison.Plan(fleet, modes, chosen, slo, seed),
        source, output, assertSlo);
  }

  /** Runs a comparison, writes the report and prints the table; shared with {@code demo}. */
  static int run(PrintWriter out, Comparison.Plan plan, TraceSource source, Path output,
      boolean assertSlo) throws Exception {
    long start = System.nanoTime();
    List<Comparison.Run> runs = new Comparison(plan, System.err, VersionProvider.version(),
        VersionProvider.commit()).run(source, output);
    List<RunData> data = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Comparison.Run r : runs) {
      data.add(RunLoader.load(r.dir()));
      labels.add(r.mode()); // the report adds "· simulate" / "· loadgen" and pairs them
    }
    Report report = Report.of(data, labels, null);
    out.print(TextReporter.render(report.summaryTable()));
    Path html = ReportFormat.HTML.reporter().write(report, output.resolve("report"));
    out.printf(Locale.US, "compared %d runs in %.0f s; report: %s%n", runs.size(),
        (System.nanoTime() - start) / 1e9, html);
    out.flush();
    if (assertSlo) {
      List<String> missed = new ArrayList<>();
      for (Comparison.Run r : runs) {
        Summary s = r.summary();
        if (s.ttftMs().p99() > plan.slo().ttftMs() || s.tpotMs().p99() > plan.slo().tpotMs()) {
          missed.add(r.mode() + " " + r.kind().name().toLowerCase(Locale.ROOT));
        }
      }
      if (!missed.isEmpty()) {
        out.println("SLO missed (P99 TTFT " + plan.slo().ttftMs() + " ms, TPOT " + plan.slo().tpotMs()
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
