package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompletionCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void bash_isAScriptCoveringSubcommandsAndTheirFlags() throws Exception {
    assertThat(run("completion", "bash")).as(err.toString()).isEqualTo(ExitCodes.OK);
    String script = out.toString();
    assertThat(script).startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_poolbench")
        .contains("loadgen", "router", "init", "trace", "stats", "completion")
        .contains("--request-rate", "--short-max-model-len");
    assumeTrue(onPath("bash") != null, "bash is not on PATH");
    Path file = Files.writeString(dir.resolve("poolbench.bash"), script);
    Result syntax = bash("-n", file.toString());
    assertThat(syntax.code).as(syntax.output).isZero();
  }

  @Test
  void bash_completesACommandAndAFlagWhenSourced() throws Exception {
    assumeTrue(onPath("bash") != null, "bash is not on PATH");
    assertThat(run("completion")).isEqualTo(ExitCodes.OK); // bash by default
    Path file = Files.writeString(dir.resolve("poolbench.bash"), out.toString());
    // what bash does on TAB: set the words, call the registered function, read COMPREPLY
    Result r = bash("-c", "source '" + file + "'; "
        + "COMP_WORDS=(poolbench lo); COMP_CWORD=1; COMP_LINE='poolbench lo'; COMP_POINT=12; "
        + "_complete_poolbench; echo \"commands: ${COMPREPLY[*]}\"; "
        + "COMP_WORDS=(poolbench router init --sho); COMP_CWORD=3; "
        + "COMP_LINE='poolbench router init --sho'; COMP_POINT=27; "
        + "_complete_poolbench; echo \"flags: ${COMPREPLY[*]}\"");
    assertThat(r.code).as(r.output).isZero();
    assertThat(r.output).contains("commands: loadgen").contains("flags: --short")
        .contains("--short-max-model-len");
  }

  @Test
  void zsh_loadsBashcompinitFirst() throws Exception {
    assertThat(run("completion", "zsh")).isEqualTo(ExitCodes.OK);
    String script = out.toString();
    assertThat(script).startsWith("#compdef poolbench\n")
        .contains("bashcompinit")
        .contains("complete -F _complete_poolbench");
    assumeTrue(onPath("bash") != null, "bash is not on PATH");
    Path file = Files.writeString(dir.resolve("_poolbench"), script);
    Result syntax = bash("-n", file.toString());
    assertThat(syntax.code).as(syntax.output).isZero();
  }

  @Test
  void unknownShell_isBadInputNamingIt() {
    assertThat(run("completion", "fish")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("shell 'fish' is not bash or zsh");
    assertThat(out.toString()).isEmpty();
  }

  private record Result(int code, String output) {}

  private static Result bash(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = onPath("bash");
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] b = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(b, StandardCharsets.UTF_8));
  }

  private static String onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
