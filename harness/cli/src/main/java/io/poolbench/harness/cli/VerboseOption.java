package io.poolbench.harness.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The global {@code -v/--verbose} flag: stack traces and more diagnostics on stderr. */
public final class VerboseOption {

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces and extra diagnostics on errors.")
  boolean verbose;

  /** Scans raw arguments, so that even a parse failure can honour {@code -v}. */
  static boolean isVerbose(String[] args) {
    for (String arg : args) {
      if (arg.equals("-v") || arg.equals("--verbose")) {
        return true;
      }
      if (arg.equals("--")) {
        return false;
      }
    }
    return false;
  }
}
