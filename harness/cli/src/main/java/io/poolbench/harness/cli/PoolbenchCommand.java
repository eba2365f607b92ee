package io.poolbench.harness.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code poolbench} command; each feature adds a subcommand here. */
@Command(
    name = "poolbench",
    // inherited: every subcommand gets -h/--help and -V/--version
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Measure what token-budget-aware pool routing saves a vLLM fleet.",
    description = {
      "Reads public LLM request traces, routes them to a short and a long pool as arXiv "
          + "2604.09613 / 2604.08075 propose, and measures or simulates the result.",
      "",
      "Exit codes: 0 success, 1 internal error, 2 bad usage/config/input, "
          + "3 run completed but its assertions (SLOs) failed, 4 a target could not be reached "
          + "(connection refused, unknown host, connect timeout), 5 an output could not be "
          + "written (disk full, file too large, read-only)."
    },
    subcommands = {
      TraceCommand.class,
      MicrobenchCommand.class,
      PromptCommand.class,
      SimulateCommand.class,
      CalibrateCommand.class,
      LoadgenCommand.class,
      MergeCommand.class,
      StudyCommand.class,
      SizeCommand.class,
      CostCommand.class,
      CatalogCommand.class,
      MockCommand.class,
      ReportCommand.class,
      CompareCommand.class,
      SweepCommand.class,
      DemoCommand.class,
      RouterCommand.class,
      CompletionCommand.class,
      HelpCommand.class
    })
public final class PoolbenchCommand implements Runnable {

  @Mixin VerboseOption verbose;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
