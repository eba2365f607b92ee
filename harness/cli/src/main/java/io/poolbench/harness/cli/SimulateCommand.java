package io.poolbench.harness.cli;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.traces.Quantities;
import io.poolbench.traces.TraceSource;
import java.io.PrintWriter;
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

/** {@code poolbench simulate}: a trace through a simulated fleet, into a run directory. */
@Command(
    name = "simulate",
    header = "Simulate a trace on a fleet of vLLM engine models in virtual time.",
    description = {
      "Runs every request of the trace through the fleet's router (the router-core policy, "
          + "estimator and endpoint pickers) and one vLLM V1 engine model per instance, and "
          + "writes a run directory: run.json, summary.json, latency.hlog, requests.csv.gz.",
      "Deterministic for a given trace, fleet and seed."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Mixin FleetOptions fleetOptions;

  @Option(names = "--trace", paramLabel = "<source>", required = true,
      description = "The trace: a file path, or builtin:<name>[?key=value&...].")
  String traceSource;

  @Mixin TraceOptions trace;

  @Option(names = {"-o", "--output"}, paramLabel = "<rundir>", required = true,
      description = "The run directory to write (created if missing).")
  Path output;

  @Option(names = "--hlog-interval", paramLabel = "<duration>", defaultValue = "10s",
      description = "Interval of latency.hlog in virtual time. Default: 10s.")
  String hlogInterval;

  @Option(names = "--json", description = "Print summary.json instead of the text summary.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long seed = Quantities.longAtLeast(trace.seed, Long.MIN_VALUE, "--seed");
    Fleet fleet = fleetOptions.fleet(seed);
    TraceSource source = trace.resolve(traceSource);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("trace_source", traceSource);
    extra.put("preset", fleetOptions.source.preset);
    extra.put("variant", fleetOptions.source.preset != null ? fleetOptions.variant : null);
    Simulation.Options options = new Simulation.Options(fleetOptions.slo(),
        Quantities.durationNanos(hlogInterval, "--hlog-interval"), VersionProvider.version(),
        VersionProvider.commit(), extra);
    Simulation.Report report = Simulation.run(fleet, source, output, options);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(RunDirectory.mapper().writeValueAsString(report.summary()));
    } else {
      fleet.startupLog().forEach(out::println);
      print(out, report);
      out.println("run directory: " + output);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** Prints the text summary of a run: the shared console table, then the simulator's pace. */
  static void print(PrintWriter out, Simulation.Report report) {
    SummaryTable.print(out, report.summary(), List.of(LatencyMetric.values()),
        List.of(50.0, 90.0, 99.0, 99.9), SummaryTable.PreemptionSource.ENGINE_MODEL);
    out.printf(Locale.US, "simulated %,d requests (%.1f s of virtual time, %,d engine steps) in "
        + "%.2f s wall: %,.0f requests per wall-clock second%n", report.result().arrivals(),
        report.result().endNanos() / 1e9, report.result().steps(), report.wallNanos() / 1e9,
        report.requestsPerWallSecond());
  }
}
