package io.poolbench.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs poolbench commands in-process and keeps what they print, for the CLI tests. */
final class CliRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** Runs {@code args} as the {@code poolbench} command line; returns the exit code. */
  int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** What the commands printed to stdout so far. */
  String out() {
    return out.toString();
  }

  /** What the commands printed to stderr so far. */
  String err() {
    return err.toString();
  }
}
