package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolbench.reports.rundir.RunDirectory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model-config} where {@code --preset}/{@code --fleet} or the mock's flags are taken. */
class ModelConfigFlagTest {

  @TempDir Path tmp;

  private final CliRun cli = new CliRun();
  private final java.io.StringWriter out = cli.out;
  private final java.io.StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  /** A copy of a shipped config.json (Llama-2-7B: 32 layers, 32 KV heads, 512 KiB per token). */
  private Path llama2Config() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("Llama-2-7b-hf"));
    Path config = dir.resolve("config.json");
    try (InputStream in = getClass().getResourceAsStream(
        "/io/poolbench/harness/catalog/models/llama-2-7b.json")) {
      assertThat(in).isNotNull();
      Files.copy(in, config);
    }
    return config;
  }

  @Test
  void simulate_presetWithModelConfig_runsThatModel() throws Exception {
    Path dir = tmp.resolve("run");
    int code = run("simulate", "--preset", "paper-a100", "--variant", "homogeneous",
        "--model-config", llama2Config().toString(), "--instances", "2",
        "--trace", "builtin:long-mix?rate=5&duration=5s&seed=3", "-o", dir.toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    JsonNode run = RunDirectory.mapper().readTree(dir.resolve(RunDirectory.RUN_JSON).toFile());
    assertThat(run.get("fleet").get(0).get("model").asText()).isEqualTo("llama-2-7b-hf");
    assertThat(run.get("config").get("fleet").get("model").isNull()).isTrue();
    assertThat(run.get("config").get("fleet").get("model-config").asText())
        .endsWith("config.json");
  }

  @Test
  void mock_flagsModeWithModelConfig_sizesKvFromIt() throws Exception {
    int code = run("mock", "--no-warmup", "--max-model-len", "4096", "--port-base", "0", "--run-for", "1ms",
        "--model-config", llama2Config().toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    long llama2Blocks = kvBlocks(out.toString(), "llama-2-7b-hf");
    out.getBuffer().setLength(0);
    assertThat(run("mock", "--no-warmup", "--max-model-len", "4096", "--port-base", "0", "--run-for", "1ms",
        "--model", "llama-3-8b")).isEqualTo(ExitCodes.OK);
    long llama3Blocks = kvBlocks(out.toString(), "llama-3-8b");
    // Llama-2-7B holds 512 KiB of KV per token, Llama-3-8B 128 KiB (GQA): about 4x the blocks,
    // less for Llama-3's larger weights.
    assertThat((double) llama3Blocks / llama2Blocks).isBetween(3.0, 4.2);
  }

  @Test
  void mock_presetWithModelConfig_replacesTheFleetsModel() throws Exception {
    int code = run("mock", "--no-warmup", "--preset", "paper-a100", "--variant", "homogeneous", "--instances",
        "1", "--port-base", "0", "--run-for", "1ms", "--model-config",
        llama2Config().toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("model=llama-2-7b-hf");
  }

  @Test
  void missingModelConfig_isBadInputNamingThePath() {
    Path missing = tmp.resolve("nope/config.json");
    assertThat(run("simulate", "--preset", "paper-a100", "--model-config", missing.toString(),
        "--trace", "builtin:long-mix?rate=5&duration=5s&seed=3", "-o",
        tmp.resolve("r").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains(missing.toString()).contains("config.json");
    assertThat(run("mock", "--no-warmup", "--max-model-len", "4096", "--port-base", "0", "--run-for", "1ms",
        "--model-config", missing.toString())).isEqualTo(ExitCodes.BAD_INPUT);
  }

  private static long kvBlocks(String output, String model) {
    Matcher m = Pattern.compile("model=" + Pattern.quote(model) + " .*?kv_blocks=(\\d+)")
        .matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Long.parseLong(m.group(1));
  }
}
