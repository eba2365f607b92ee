package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void version_printsReleaseAndCommit() {
    assertThat(run("--version")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).startsWith("poolbench ").contains("(commit ");
  }

  @Test
  void help_listsExitCodes() {
    assertThat(run("--help")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("Usage: poolbench").containsIgnoringWhitespaces("3 run completed but its assertions");
  }

  /** Writes to Linux's /dev/full fail with ENOSPC, as on a full disk. */
  @ParameterizedTest
  @ValueSource(strings = {"trace.csv", "trace.csv.gz"})
  void fullDisk_isOneLineNamingTheFileAndTheReason_exit4(String name, @TempDir Path dir)
      throws IOException {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
    Path out = Files.createSymbolicLink(dir.resolve(name), full);

    int code = run("trace", "synth", "azure-conv", "--duration", "60s", "-o", out.toString());

    assertThat(code).isEqualTo(ExitCodes.OUTPUT_FAILED);
    assertThat(err.toString()).hasLineCount(1).startsWith("poolbench: ").contains(out.toString())
        .endsWith(": No space left on device\n").doesNotContain("Exception")
        .doesNotContain("internal error");
  }

  @Test
  void help_listsTheOutputExitCode() {
    assertThat(run("--help")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).containsIgnoringWhitespaces("4 a target could not be reached");
    assertThat(out.toString()).containsIgnoringWhitespaces("5 an output could not be written");
  }

  @Test
  void unknownFlag_isBadUsageWithOneLineAndNoStackTrace() {
    assertThat(run("--no-such-flag")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("poolbench: Unknown option '--no-such-flag' for 'poolbench'.")
        .doesNotContain("at io.poolbench");
  }

  @Test
  void unknownCommand_suggestsTheClosestAndExits2() {
    assertThat(run("lodgen")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: Unknown command 'lodgen'. Did you mean "
        + "'loadgen'?\nTry 'poolbench --help' for usage.\n");
  }

  @Test
  void unknownCommandWithHelp_exits2InsteadOfPrintingTheMainHelp() {
    assertThat(run("lodgen", "--help")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("poolbench: Unknown command 'lodgen'. Did you mean "
        + "'loadgen'?");
  }

  @Test
  void unknownSubcommand_namesItsGroup() {
    assertThat(run("trace", "stat", "builtin:azure-conv")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: Unknown command 'stat' for 'poolbench "
        + "trace'. Did you mean 'stats'?");
    assertThat(run("help", "ruoter")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("Unknown command 'ruoter'. Did you mean 'router'?");
  }

  @Test
  void unknownFlag_isReportedBeforeTheMissingRequiredOptionsItCaused() {
    assertThat(run("loadgen", "--rat", "5")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("poolbench: Unknown option '--rat' for 'poolbench loadgen'. Did you mean "
            + "'--request-rate'?\n")
        .contains("Try 'poolbench loadgen --help'")
        .doesNotContain("Missing required");
  }

  @Test
  void unknownFlagWithValue_andWithHelp_namesTheFlagAlone() {
    assertThat(run("mock", "--port-bas=9000", "--help")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("poolbench: Unknown option '--port-bas' for "
        + "'poolbench mock'. Did you mean '--port-base'?");
  }

  @Test
  void farOffCommand_getsNoSuggestion() {
    assertThat(run("xyzzy")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: Unknown command 'xyzzy'.\n");
  }

  @Test
  void everySubcommand_acceptsHelpEvenWithoutItsRequiredOptions() {
    CommandLine cli = Main.commandLine();
    java.util.List<String> paths = new java.util.ArrayList<>();
    collect(cli, "", paths);
    assertThat(paths).contains("trace stats", "simulate", "microbench");
    for (String path : paths) {
      if (path.equals("help") || path.equals("microbench")) {
        continue; // help prints usage; microbench hands -h to JMH
      }
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(path.split(" ")));
      args.add("--help");
      out.getBuffer().setLength(0);
      assertThat(run(args.toArray(String[]::new))).as(path).isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).as(path).contains("Usage: poolbench " + path);
    }
  }

  private static void collect(CommandLine cmd, String prefix, java.util.List<String> paths) {
    cmd.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandSpec().aliases().length > 0 && !sub.getCommandName().equals(name)) {
        return;
      }
      String path = prefix.isEmpty() ? name : prefix + " " + name;
      paths.add(path);
      collect(sub, path, paths);
    });
  }
}
