package io.poolbench.harness.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code poolbench study}: the group of side experiments that reproduce the papers' tables. */
@Command(
    name = "study",
    header = "Run a study that reproduces one of the papers' side experiments.",
    description = "Each subcommand runs one self-contained experiment and prints its table "
        + "(or JSON with --json).",
    subcommands = {CalibrationCommand.class})
final class StudyCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
