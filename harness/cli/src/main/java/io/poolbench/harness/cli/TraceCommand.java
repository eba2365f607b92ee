package io.poolbench.harness.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code poolbench trace}: the group of commands that inspect, transform and write traces. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Inspect, transform and synthesize request traces.",
    description = {
      "A <source> is a trace file (Azure, BurstGPT, Mooncake, or generic CSV/JSONL; gzip is read "
          + "transparently; the format is detected from the header and the extension unless "
          + "--format says otherwise), or builtin:<name> for a built-in workload, e.g. "
          + "builtin:azure-conv or builtin:long-mix?long-share=0.2&rate=50&duration=10m&seed=7."
    },
    subcommands = {TraceStatsCommand.class, TraceTransformCommand.class, TraceSynthCommand.class})
final class TraceCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
