package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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

  @Test
  void unknownFlag_isBadUsageWithOneLineAndNoStackTrace() {
    assertThat(run("--no-such-flag")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("poolbench: Unknown option: '--no-such-flag'")
        .doesNotContain("at io.poolbench");
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
