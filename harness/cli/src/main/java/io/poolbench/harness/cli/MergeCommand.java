package io.poolbench.harness.cli;

import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.RunMerger;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code poolbench merge}: one run directory from the run directories of shards. */
@Command(
    name = "merge",
    header = "Merge the run directories of loadgen shards into one.",
    description = {
      "Combines the run directories of 'poolbench loadgen --shard i/n' runs that replayed one "
          + "trace together: every request row is recorded again (counts, goodput and all latency "
          + "histograms, overall, per pool and per category, are those of all rows), per-pool "
          + "inter-token latencies and latency.hlog intervals are summed, misroutes and "
          + "spillovers added."
    })
final class MergeCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "<rundir>", description = "The shards' run directories.")
  List<Path> shards;

  @Option(names = {"-o", "--output"}, paramLabel = "<rundir>", required = true,
      description = "The merged run directory to write.")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Summary merged;
    try {
      merged = RunMerger.merge(shards, output);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    SummaryTable.print(out, merged, List.of(LatencyMetric.TTFT, LatencyMetric.TPOT, LatencyMetric.ITL,
        LatencyMetric.E2E), List.of(50.0, 90.0, 99.0),
        SummaryTable.PreemptionSource.ENGINE_METRICS);
    out.println("merged " + shards.size() + " run directories into " + output);
    out.flush();
    return ExitCodes.OK;
  }
}
