package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolbench.reports.rundir.RunDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void simulate_presetOnBuiltinTrace_writesTheRunDirectory() throws Exception {
    Path dir = tmp.resolve("run");
    int code = run("simulate", "--preset", "paper-a100", "--short-instances", "3",
        "--long-instances", "2", "--trace", "builtin:long-mix?rate=20&duration=20s&seed=3",
        "-o", dir.toString(), "--json");
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    JsonNode summary = RunDirectory.mapper().readTree(out.toString());
    for (String key : new String[] {"requests", "ttft_ms", "tpot_ms", "itl_ms", "e2e_ms", "gpus",
        "goodput_rps", "goodput_per_gpu", "output_tokens_per_s_per_gpu", "preemptions_per_1000",
        "engine_deaths_per_hour", "pools"}) {
      assertThat(summary.has(key)).as(key).isTrue();
    }
    for (String key : new String[] {"total", "ok", "rejected_context", "rejected_overload",
        "engine_failure", "timeout", "client_error", "transport_error", "not_sent"}) {
      assertThat(summary.get("requests").has(key)).as(key).isTrue();
    }
    for (String key : new String[] {"mean", "p50", "p90", "p99"}) {
      assertThat(summary.get("ttft_ms").has(key)).as(key).isTrue();
    }
    assertThat(summary.get("pools").get("short").get("instances").asInt()).isEqualTo(3);
    assertThat(summary.get("gpus").asInt()).isEqualTo(5);
    assertThat(dir.resolve(RunDirectory.RUN_JSON)).exists();
    assertThat(dir.resolve(RunDirectory.LATENCY_HLOG)).exists();
    assertThat(dir.resolve(RunDirectory.REQUESTS_CSV_GZ)).exists();
    JsonNode runJson = RunDirectory.mapper().readTree(dir.resolve(RunDirectory.RUN_JSON).toFile());
    assertThat(runJson.get("mode").asText()).isEqualTo("simulate");
    assertThat(runJson.get("trace").get("digest").asText()).startsWith("fnv1a64:");
    assertThat(runJson.get("fleet")).hasSize(2);
  }

  @Test
  void simulate_unknownFleetKey_isBadInput() throws Exception {
    Path fleet = tmp.resolve("fleet.yaml");
    Files.writeString(fleet, "model: llama-3-8b\ngpu: h100-80gb\npools:\n  - name: a\n"
        + "    max-model-len: 8192\n    max-seqs: 4\n");
    int code = run("simulate", "--fleet", fleet.toString(), "--trace",
        "builtin:azure-conv?duration=5s", "-o", tmp.resolve("x").toString());
    assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("unknown key 'pools[0].max-seqs'");
  }

  @Test
  void simulate_unknownPreset_isBadInput() {
    int code = run("simulate", "--preset", "nope", "--trace", "builtin:azure-conv",
        "-o", tmp.resolve("x").toString());
    assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("Unknown preset 'nope'");
  }

  @Test
  void numGpuBlocks_forcesTheKvCapacityLikeVllm() {
    int code = run("simulate", "--preset", "paper-a100-grounded", "--variant", "homogeneous",
        "--instances", "2", "--num-gpu-blocks", "5000", "--trace",
        "builtin:azure-conv?rate=2&duration=10s", "-o", tmp.resolve("r").toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("num-gpu-blocks forced: GPU KV cache size: 80,000 tokens");
  }

  @Test
  void consoleTable_statesTheSloAndTheVerdict() throws Exception {
    Path dir = tmp.resolve("v");
    int code = run("simulate", "--preset", "paper-a100", "--variant", "homogeneous",
        "--instances", "2", "--slo-ttft-p99", "1500ms", "--trace",
        "builtin:azure-conv?rate=2&duration=10s", "-o", dir.toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    var s = RunDirectory.open(dir).readSummary();
    boolean met = s.ttftMs().p99() <= 1500 && s.tpotMs().p99() <= 80;
    assertThat(out.toString())
        .contains("goodput " + String.format(java.util.Locale.US, "%.2f", s.goodputRps())
            + " req/s within TTFT 1.5 s, TPOT 80 ms;")
        .contains("verdict: " + (met ? "meets" : "misses") + " P99 TTFT 1.5 s / TPOT 80 ms "
            + "(TTFT p99 " + io.poolbench.reports.model.ValueKind.MILLIS.format(s.ttftMs().p99())
            + " ms, TPOT p99 ");
  }

  @Test
  void cost_printsClosedFormAndDollars() {
    assertThat(run("cost", "--alpha", "0.8", "--rho", "4", "--gpus", "358")).isEqualTo(0);
    assertThat(out.toString()).contains("60.00%").contains("two-pool 144 GPUs");
  }
}
