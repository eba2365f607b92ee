package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolbench.reports.rundir.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code poolbench sweep}, simulated (fast) and live against the mock fleet behind the router. */
class SweepCommandTest {

  @TempDir Path tmp;

  private final CliRun cli = new CliRun();
  private final java.io.StringWriter out = cli.out;
  private final java.io.StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  /** Two pools on 6 GPUs (the papers' affine step times): saturates at tens of req/s. */
  private Path fleet() throws Exception {
    return Files.writeString(tmp.resolve("fleet.yaml"), """
        name: small
        model: llama-3-8b
        gpu: a100-80gb
        seed: 1
        pools:
          - name: short
            instances: 4
            max-model-len: 8192
            max-num-seqs: 128
          - name: long
            instances: 2
            max-model-len: 32768
            max-num-seqs: 16
        """);
  }

  @Test
  void simulatedSweep_findsEachModesCapacityAndStopsSaturatedModes() throws Exception {
    Path dir = tmp.resolve("sweep");
    int code = run("sweep", "--fleet", fleet().toString(), "--sim", "--trace",
        "builtin:azure-conv?duration=60s&seed=1", "--ramp-up-strategy", "exponential",
        "--ramp-up-start-rps", "5", "--ramp-up-end-rps", "320", "--steps", "7",
        "--step-duration", "40s", "-o", dir.toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    JsonNode sweep = RunDirectory.mapper().readTree(dir.resolve("sweep.json").toFile());
    assertThat(sweep.get("kind").asText()).isEqualTo("sim");
    assertThat(sweep.get("rates")).hasSize(7);
    assertThat(sweep.get("rates").get(0).asDouble()).isEqualTo(5.0);
    assertThat(sweep.get("rates").get(6).asDouble()).isEqualTo(320.0, within());
    assertThat(sweep.get("modes")).hasSize(2);
    for (JsonNode mode : sweep.get("modes")) {
      JsonNode points = mode.get("points");
      assertThat(points.size()).isBetween(1, 7);
      // each step's run directory exists and holds the full run
      for (JsonNode p : points) {
        assertThat(dir.resolve(p.get("run_dir").asText()).resolve("summary.json")).exists();
        assertThat(p.get("meets_slo").asBoolean())
            .isEqualTo(p.get("ttft_p99_ms").asDouble() <= 2000
                && p.get("tpot_p99_ms").asDouble() <= 80 && p.get("failed_share").asDouble()
                <= 0.01);
      }
      if (mode.get("saturated").asBoolean()) {
        // it stopped at its first saturated step (patience 1): nothing ran after it
        JsonNode last = points.get(points.size() - 1);
        assertThat(last.get("saturation")).isNotEmpty();
        for (int i = 0; i < points.size() - 1; i++) {
          assertThat(points.get(i).get("saturation")).isEmpty();
        }
      }
      if (mode.has("capacity_rps")) {
        double cap = mode.get("capacity_rps").asDouble();
        for (JsonNode p : points) {
          if (p.get("planned_rps").asDouble() > cap) {
            assertThat(p.get("meets_slo").asBoolean()).isFalse();
          }
        }
      }
    }
    // at 5 req/s both modes are far from saturation: goodput follows the rate
    JsonNode first = sweep.get("modes").get(0).get("points").get(0);
    assertThat(first.get("meets_slo").asBoolean()).isTrue();
    assertThat(first.get("goodput_rps").asDouble()).isGreaterThan(0.7 * 5);
    // 320 req/s is beyond what 6 GPUs carry: at least one mode saturated
    assertThat(sweep.get("modes").findValues("saturated")).anyMatch(JsonNode::asBoolean);
    assertThat(sweep.get("verdict").asText()).startsWith("At P99 TTFT 2 s / TPOT 80 ms: ")
        .contains("single").contains("token-budget");
    assertThat(out.toString()).contains(sweep.get("verdict").asText());
    String html = Files.readString(dir.resolve("sweep.html"));
    assertThat(html).contains("<svg").contains("Goodput").contains("token-budget")
        .doesNotContain("href=\"assets/");
  }

  @Test
  void assertRate_exitsThreeWhenTheBestModeFallsShort() throws Exception {
    int code = run("sweep", "--fleet", fleet().toString(), "--sim", "--modes", "single",
        "--trace", "builtin:azure-conv?duration=60s&seed=1", "--rates", "400,800",
        "--step-duration", "20s", "--assert-rate", "800", "-o", tmp.resolve("s").toString());
    assertThat(code).as(out.toString() + err).isEqualTo(ExitCodes.ASSERTIONS_FAILED);
    assertThat(out.toString()).contains("rate assertion failed");
  }

  @Test
  void liveSweep_runsTheMockFleetBehindTheRouterPerStep() throws Exception {
    Path dir = tmp.resolve("live");
    int code = run("sweep", "--fleet", fleet().toString(), "--modes", "token-budget",
        "--trace", "builtin:azure-conv?duration=60s&seed=1", "--rates", "2,4",
        "--step-duration", "3s", "-o", dir.toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    JsonNode sweep = RunDirectory.mapper().readTree(dir.resolve("sweep.json").toFile());
    assertThat(sweep.get("kind").asText()).isEqualTo("live");
    JsonNode points = sweep.get("modes").get(0).get("points");
    assertThat(points).hasSize(2);
    assertThat(points.get(0).get("run_dir").asText()).isEqualTo("rate-2/token-budget-live");
    JsonNode run = RunDirectory.mapper().readTree(
        dir.resolve("rate-4/token-budget-live/run.json").toFile());
    assertThat(run.get("mode").asText()).isEqualTo("loadgen");
    // the second step was offered about twice the first's rate
    assertThat(points.get(1).get("sent_rps").asDouble())
        .isGreaterThan(1.3 * points.get(0).get("sent_rps").asDouble());
  }

  @Test
  void badSteps_areBadInputNamingTheValue() throws Exception {
    String f = fleet().toString();
    String t = "builtin:azure-conv?duration=10s&seed=1";
    assertThat(run("sweep", "--fleet", f, "--sim", "--trace", t, "--rates", "4,2", "-o",
        tmp.resolve("a").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("must rise").contains("2 req/s follows 4");
    assertThat(run("sweep", "--fleet", f, "--sim", "--trace", t, "-o",
        tmp.resolve("b").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--rates R1,R2");
    assertThat(run("sweep", "--fleet", f, "--sim", "--trace", t, "--ramp-up-strategy", "cubic",
        "--ramp-up-start-rps", "1", "--ramp-up-end-rps", "4", "-o",
        tmp.resolve("c").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("'cubic' is not linear or exponential");
    assertThat(run("sweep", "--fleet", f, "--sim", "--trace", t, "--rates", "1,2",
        "--request-rate", "3", "-o", tmp.resolve("d").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--request-rate does not apply to sweep");
    assertThat(run("sweep", "--fleet", f, "--sim", "--trace", t, "--rates", "1,x", "-o",
        tmp.resolve("e").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--rates");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
