package io.poolbench.harness.cli;

import io.poolbench.traces.Durations;
import io.poolbench.traces.format.TraceWriter;
import io.poolbench.traces.synthetic.BuiltinWorkload;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import io.poolbench.traces.synthetic.PrefixWorkloads;
import io.poolbench.traces.synthetic.SyntheticTraceSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code poolbench trace synth}: writes a built-in workload to a trace file. */
@Command(
    name = "synth",
    header = "Write a built-in workload as a trace file.",
    description = {
      "Generates <builtin> (azure-conv, azure-code, long-mix, shared-prefix or multi-turn, with or without the builtin: "
          + "prefix) at the given rate, duration and seed, and writes it as an Azure-format CSV "
          + "(.csv) or poolbench JSONL (.jsonl, keeps categories); add .gz to compress.",
      "The same seed always gives the same file."
    })
final class TraceSynthCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<builtin>", description = "The workload: azure-conv, azure-code, long-mix, or shared-prefix / "
          + "multi-turn with their parameters in query form (e.g. 'multi-turn?turns=3&think-s=20'; "
          + "docs/traces.md).")
  String workload;

  @Option(names = "--rate", paramLabel = "<req/s>",
      description = "Mean arrival rate in requests per second (default: the workload's own: 5.53 for azure-conv, 2.567 for azure-code, 10 for long-mix).")
  Double ratePerSecond;

  @Option(names = "--duration", paramLabel = "<duration>", defaultValue = "1h",
      description = "Length of the trace, e.g. 90s, 10m, 1h30m (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "42",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--long-share", paramLabel = "<fraction>", defaultValue = "0.15",
      description = "long-mix only: share of requests needing 8K-64K total tokens (default: ${DEFAULT-VALUE}).")
  double longShare;

  @Option(names = {"-o", "--output"}, paramLabel = "<file>", required = true,
      description = "The file to write: .csv, .jsonl, .csv.gz or .jsonl.gz.")
  Path output;

  @Override
  public Integer call() {
    String name = workload.startsWith("builtin:") ? workload.substring("builtin:".length()) : workload;
    int q = name.indexOf('?');
    if (PrefixWorkloads.serves(q < 0 ? name : name.substring(0, q))) {
      // --rate, --duration and --seed first, so that the spec's own parameters win
      String spec = (q < 0 ? name : name.substring(0, q)) + "?duration=" + duration + "&seed="
          + seed + (ratePerSecond == null ? "" : "&rate=" + ratePerSecond)
          + (q < 0 ? "" : "&" + name.substring(q + 1));
      long rows = TraceWriter.writeAll(BuiltinWorkloads.open(spec), output);
      this.spec.commandLine().getOut().println(String.format(Locale.US,
          "wrote %,d requests of builtin:%s to %s", rows, spec, output));
      return ExitCodes.OK;
    }
    BuiltinWorkload w = BuiltinWorkload.named(name);
    Duration length = Durations.parse(duration);
    double rate = ratePerSecond == null ? w.defaultRatePerSecond() : ratePerSecond;
    SyntheticTraceSource source = BuiltinWorkloads.create(w, rate, length, seed, longShare);
    long rows = TraceWriter.writeAll(source, output);
    spec.commandLine().getOut().println(String.format(Locale.US,
        "wrote %,d requests of builtin:%s (%.3f req/s for %s, seed %d) to %s",
        rows, w.spelling(), rate, duration, seed, output));
    return ExitCodes.OK;
  }
}
