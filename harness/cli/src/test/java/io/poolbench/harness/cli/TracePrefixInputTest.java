package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Prefix data in traces through the CLI: the three bad-input cases of prefix structure end in a
 * file:line error and exit 2; a renamed session column is read and its reuse reported.
 */
class TracePrefixInputTest {

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
  void hashIdsThatAreNotIntegers_areExit2AtTheirLine() throws Exception {
    Path f = Files.writeString(dir.resolve("m.jsonl"),
        "{\"timestamp\":0,\"input_length\":1000,\"output_length\":5,\"hash_ids\":[1,2]}\n"
            + "{\"timestamp\":5,\"input_length\":1000,\"output_length\":5,\"hash_ids\":[1,\"a\"]}\n");
    assertThat(run("trace", "stats", "--format", "mooncake", f.toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: " + f + ":2: hash_ids")
        .contains("not a list of integers").doesNotContain("\tat ");
  }

  @Test
  void aSessionGoingBackInTime_isExit2AtItsLine() throws Exception {
    Path f = Files.writeString(dir.resolve("s.csv"), "arrival_ms,prompt_tokens,output_tokens,"
        + "conv\n200,1000,10,a\n100,1600,10,b\n150,2000,10,a\n");
    assertThat(run("trace", "stats", "--on-unordered", "keep", "--session-column", "conv",
        f.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: " + f + ":4: ").contains("'a' goes back in time")
        .contains("150 is before 200").contains("(line 2)").doesNotContain("\tat ");
  }

  @Test
  void aPrefixLongerThanThePrompt_isExit2AtItsLine() throws Exception {
    Path f = Files.writeString(dir.resolve("p.csv"), "arrival_ms,prompt_tokens,output_tokens,"
        + "prefix_id,prefix_tokens\n0,3000,10,sys,2048\n10,1000,10,sys,2048\n");
    assertThat(run("trace", "stats", f.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: " + f + ":3: prefix_tokens 2048 is more "
        + "than prompt_tokens 1000: the prefix is part of the prompt" + System.lineSeparator());
  }

  @Test
  void renamedSessionColumn_isReadAndItsReuseReported() throws Exception {
    Path f = Files.writeString(dir.resolve("ok.csv"), "conv,arrival_ms,prompt_tokens,"
        + "output_tokens\nx,0,1100,10\nx,1000,1700,10\ny,1500,600,10\n");
    assertThat(run("trace", "stats", "--json", "--session-column", "conv", f.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    // x: 3 then 4 blocks, the second turn repeating the first's 3; y: 2 of its own
    assertThat(out.toString().replaceAll("\\s", ""))
        .contains("\"prefix_reuse\":{\"requests\":3,\"blocks\":9,\"reused_blocks\":3");
  }
}
