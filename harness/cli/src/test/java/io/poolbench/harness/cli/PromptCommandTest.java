package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.TokenizerKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PromptCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void sample_printsTextOfExactLength() {
    assertThat(run("prompt", "sample", "--tokens", "123", "--category", "CODE", "--tokenizer",
        "o200k_base", "--index", "4")).isEqualTo(ExitCodes.OK);
    String text = out.toString().substring(0, out.toString().length() - System.lineSeparator()
        .length());
    assertThat(new PromptSynthesizer(TokenizerKind.O200K_BASE, 1).countTokens(text))
        .isEqualTo(123);
    assertThat(err.toString()).startsWith("123 tokens (o200k_base), ");
  }

  @Test
  void sample_unknownCategory_isBadInput() {
    assertThat(run("prompt", "sample", "--category", "poetry")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: Invalid value for option '--category': "
        + "Unknown content category 'poetry'; expected one of prose, code, cjk, json");
  }

  @Test
  void ratios_listsEveryCategoryAndTokenizer() {
    assertThat(run("prompt", "ratios", "--prompts", "2", "--tokens", "512"))
        .isEqualTo(ExitCodes.OK);
    assertThat(out.toString().lines()).hasSize(9);
    assertThat(out.toString()).contains("cl100k_base  prose").contains("o200k_base   cjk")
        .contains("4.48");
  }
}
