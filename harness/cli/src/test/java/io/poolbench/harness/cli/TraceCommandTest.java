package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code poolbench trace stats|transform} in-process: output, exit codes and error lines. */
class TraceCommandTest {
  private static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static Path realTrace(String name) {
    String shared = System.getProperty("poolbench.shared.dir", "../shared");
    return Path.of(shared, "traces", name);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void stats_realCodeTrace_printsAlignedTable() {
    assertThat(run("trace", "stats", realTrace("AzureLLMInferenceTrace_code.csv").toString()))
        .isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .contains("rows                     8,819\n")
        .contains("peak rate, 60-s windows  10.53 req/s (632 requests in one minute)\n")
        .contains("prompt           2,047.8  1,469  5,194  7,436  7,437\n")
        .contains("fraction of requests  61.82%  85.75%  100.00%  100.00%  100.00%\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void stats_json_hasTheIssueKeys() throws IOException {
    assertThat(run("trace", "stats", "--json", "--thresholds", "2K,8192",
        realTrace("AzureLLMInferenceTrace_conv.csv").toString())).isEqualTo(ExitCodes.OK);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.fieldNames()).toIterable().containsExactly("rows", "skipped_rows", "span_s",
        "mean_rate_rps", "peak_rate_1s", "peak_rate_60s", "interarrival_cv", "prompt_tokens",
        "output_tokens", "total_tokens", "fraction_total_le");
    assertThat(json.get("rows").asLong()).isEqualTo(19_366);
    assertThat(json.get("peak_rate_1s").asDouble()).isEqualTo(16.0);
    assertThat(json.get("total_tokens").fieldNames()).toIterable()
        .containsExactly("mean", "p50", "p90", "p99", "max");
    assertThat(json.get("total_tokens").get("p99").asInt()).isEqualTo(4_259);
    assertThat(json.get("fraction_total_le").fieldNames()).toIterable()
        .containsExactly("2048", "8192");
  }

  @Test
  void stats_transformFlags_applyBeforeStats() {
    assertThat(run("trace", "stats", "--json", "--num-prompts", "1_000", "--request-rate", "20",
        realTrace("AzureLLMInferenceTrace_conv.csv").toString())).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("\"rows\" : 1000,").contains("\"mean_rate_rps\" : 20.0");
  }

  @Test
  void stats_skipBadRows_reportsSkippedRows() throws IOException {
    Path trace = write("bad.csv", HEADER + "2023-11-16 18:00:00.0,1,2\n"
        + "2023-11-16 18:00:01.0,x,2\n" + "2023-11-16 18:00:02.0,3,4");
    assertThat(run("trace", "stats", "--on-bad-row", "skip", "--json", trace.toString()))
        .isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("\"rows\" : 2,").contains("\"skipped_rows\" : 1,");
  }

  @Test
  void stats_badRow_exitsTwoWithFileLine() throws IOException {
    Path trace = write("bad.csv", HEADER + "2023-11-16 18:00:00.0,1,2\n"
        + "2023-11-16 18:00:01.0,-7,2\n");
    assertThat(run("trace", "stats", trace.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo("poolbench: " + trace + ":3: ContextTokens '-7' is not a non-negative "
            + "integer\n");
  }

  @Test
  void stats_headerOnly_isEmptyTraceExitTwo() throws IOException {
    Path trace = write("empty.csv", HEADER);
    assertThat(run("trace", "stats", trace.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: Empty trace: " + trace
        + " has no requests\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "nope.csv|Could not find file: nope.csv",
      "--format=parquet x.csv|Unknown trace format 'parquet': expected one of azure, burstgpt, "
          + "mooncake, csv, jsonl",
      "--duration=10x x.csv|--duration '10x' is not a duration like 90s, 10m, 1h30m, 250ms or "
          + "1.5s (units h, m, s, ms, us, ns; a bare number means seconds)",
      "builtin:|Missing workload name in 'builtin:': expected builtin:<name> with <name> one of "
          + "azure-conv, azure-code, long-mix, shared-prefix, multi-turn",
      "--num-prompts=0 x.csv|--num-prompts '0' is not a whole number >= 1 (digits, optionally "
          + "grouped like 1_000)",
      "--arrival=bursty x.csv|Unknown --arrival 'bursty': expected one of trace, poisson, gamma, "
          + "constant",
      "--thresholds=2048,lots x.csv|--thresholds value 'lots' is not a token count like 2048, "
          + "2_048 or 2K (>= 1)",
      "--burstiness=0.5 --arrival=constant x.csv|--burstiness 0.5 does not fit --arrival "
          + "constant: burstiness is the gamma shape (1 is poisson, inf is constant); drop "
          + "--arrival, or use --arrival gamma",
      "--burstiness=0 x.csv|--burstiness '0' is not a number > 0 (like 2.5 or 1_000)",
      "--max-tokens=lots x.csv|--max-tokens 'lots' is not one of actual, fixed:N (N >= 1) or "
          + "factor:X (X > 0)"})
  void stats_badFlagOrFile_exitsTwoWithOneLine(String args, String message) {
    assertThat(run(("trace stats " + args).split(" "))).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: " + message + "\n");
  }

  @Test
  void transform_writesJsonlThatStatsReadsBack() throws IOException {
    Path output = dir.resolve("window.jsonl.gz");
    assertThat(run("trace", "transform", realTrace("AzureLLMInferenceTrace_code.csv").toString(),
        "--from", "3m", "--to", "4m", "--max-tokens", "fixed:256", "-o", output.toString()))
        .isEqualTo(ExitCodes.OK);
    // the README's minute 3 of the code trace holds 531 requests
    assertThat(out.toString()).isEqualTo("wrote 531 requests to " + output + "\n");
    out.getBuffer().setLength(0);
    assertThat(run("trace", "stats", "--json", output.toString())).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("\"rows\" : 531,");
  }

  @Test
  void stats_builtin_runsWithTransforms() {
    assertThat(run("trace", "stats", "--json", "builtin:azure-conv?rate=20&duration=60s&seed=3",
        "--max-tokens", "fixed:512")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("\"rows\" :").contains("\"total_tokens\"");
  }

  @Test
  void stats_unknownBuiltin_exitsTwoListingNames() {
    assertThat(run("trace", "stats", "builtin:azure-chat")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: ").contains("azure-conv, azure-code, long-mix");
  }

  @Test
  void stats_help_listsTheSharedTraceFlags() {
    assertThat(run("trace", "stats", "--help")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("--on-bad-row=<policy>", "--request-rate=<rps>",
        "--max-tokens=<budget>", "--thresholds=<tokens>");
  }

  @Test
  void transform_unknownExtension_exitsTwo() {
    assertThat(run("trace", "transform", realTrace("AzureLLMInferenceTrace_code.csv").toString(),
        "-o", dir.resolve("x.parquet").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: Cannot tell the output format of");
  }
}
