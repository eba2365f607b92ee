package io.poolbench.harness.cli;

import io.poolbench.traces.TraceSource;
import io.poolbench.traces.format.TraceWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poolbench trace transform}: apply transforms to a trace and write the result. */
@Command(
    name = "transform",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Apply transforms to a trace and write the result to a file.",
    description = {
      "Reads <source>, applies the transform flags (window, sampling, first N, rate, re-timing, "
          + "duration, clamps, max_tokens) and writes an Azure-format CSV (.csv) or poolbench "
          + "JSONL (.jsonl, keeps category, max_tokens and prefix hashes); .gz compresses.",
      "Arrivals are offsets from the first request: a file read back starts at 0."
    },
    sortOptions = false)
final class TraceTransformCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<source>", description = "The trace: a file path, or builtin:<name>[?key=value&...] for a built-in "
          + "workload (azure-conv, azure-code, long-mix, shared-prefix, multi-turn; see docs/traces.md for keys).")
  String source;

  @Option(names = {"-o", "--output"}, paramLabel = "<file>", required = true,
      description = "The file to write: .csv, .jsonl, .csv.gz or .jsonl.gz.")
  Path output;

  @Mixin TraceOptions trace;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    TraceSource traceSource = trace.resolve(source);
    long rows = TraceWriter.writeAll(traceSource, output);
    spec.commandLine().getOut().println(String.format(Locale.US, "wrote %,d requests to %s%s",
        rows, output, traceSource.skippedRows() > 0
            ? String.format(Locale.US, " (%,d bad rows skipped)", traceSource.skippedRows())
            : ""));
    return ExitCodes.OK;
  }
}
