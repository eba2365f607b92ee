package io.poolbench.harness.cli;

import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poolbench completion [bash|zsh]}: print a shell completion script (picocli's). */
@Command(
    name = "completion",
    sortOptions = false,
    header = "Print a bash or zsh completion script for poolbench.",
    description = {
      "Completes commands, subcommands, flags and enum values for a command named 'poolbench' "
          + "(put the launcher on PATH, e.g. a symlink in ~/.local/bin). The script is picocli's "
          + "generator output; in zsh it turns on bashcompinit first.",
      "",
      "  bash:  source <(poolbench completion bash)     (e.g. in ~/.bashrc)",
      "  zsh:   source <(poolbench completion zsh)      (e.g. in ~/.zshrc)",
      "",
      "Or save it once: poolbench completion bash > ~/.local/share/bash-completion/completions/"
          + "poolbench"
    })
final class CompletionCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "<shell>", defaultValue = "bash",
      description = "bash or zsh (default: ${DEFAULT-VALUE}).")
  String shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String script = script(shell, spec.root().commandLine());
    PrintWriter out = spec.commandLine().getOut();
    out.print(script);
    out.flush();
    return ExitCodes.OK;
  }

  /** The completion script for {@code shell} covering every command under {@code root}. */
  static String script(String shell, picocli.CommandLine root) {
    String bash = AutoComplete.bash("poolbench", root);
    return switch (shell.toLowerCase(Locale.ROOT)) {
      case "bash" -> bash;
      // picocli's script detects zsh itself and loads compinit/bashcompinit before registering
      case "zsh" -> "#compdef poolbench\n"
          + "# poolbench completion for zsh: the bash script below, run through zsh's "
          + "bashcompinit.\n"
          + "# Use: source <(poolbench completion zsh)\n"
          + bash.replaceFirst("^#!/usr/bin/env bash\n", "");
      default -> throw new BadInputException("completion: shell '" + shell
          + "' is not bash or zsh");
    };
  }
}
