package io.poolbench.harness.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.reports.rundir.RequestCounts;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code compare --router-configs}: mock engines started here stand in for staging endpoints;
 * one router config routes everything to the long instances, the other splits short and long.
 */
class RouterConfigsCompareTest {

  @TempDir Path dir;
  private MockServer mock;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startEngines() {
    AffinePerfModel perf = new AffinePerfModel(2_000_000L, 200_000L, 8192);
    List<InstanceSpec> specs = List.of(
        new InstanceSpec("short", 0, "m", EngineConfig.of(8192, 32, 2048, 4096), perf, 0),
        new InstanceSpec("short", 1, "m", EngineConfig.of(8192, 32, 2048, 4096), perf, 0),
        new InstanceSpec("long", 0, "m", EngineConfig.of(32768, 8, 2048, 4096), perf, 0),
        new InstanceSpec("long", 1, "m", EngineConfig.of(32768, 8, 2048, 4096), perf, 0));
    mock = MockServer.start(MockSettings.defaults().withSeed(1), specs, line -> { });
  }

  @AfterEach
  void stopEngines() {
    mock.close();
  }

  private String url(int instance) {
    return mock.instances().get(instance).url();
  }

  private Path config(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private Path onePool() throws Exception {
    return config("one-pool.yaml", """
        listen: 127.0.0.1:1
        pools:
          - name: all
            max-model-len: 32768
            endpoints: [%s, %s]
        """.formatted(url(2), url(3)));
  }

  private Path twoPools() throws Exception {
    return config("two-pools.yml", """
        pools:
          - name: short
            max-model-len: 8192
            endpoints: [%s, %s]
          - name: long
            max-model-len: 32768
            endpoints: [%s, %s]
        routing:
          policy: token-budget
        """.formatted(url(0), url(1), url(2), url(3)));
  }

  private int compare(String... args) {
    List<String> all = new ArrayList<>(List.of("compare", "--max-output-tokens", "16"));
    all.addAll(List.of(args));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(all.toArray(String[]::new));
  }

  private static void assertOneOutcomePerRow(RequestCounts r) {
    assertThat(r.ok() + r.rejectedContext() + r.rejectedOverload() + r.engineFailure()
        + r.timeout() + r.clientError() + r.transportError() + r.notSent()).isEqualTo(r.total());
  }

  @Test
  void routerConfigs_runEachConfigLive_andTheRoutingDiffers() throws Exception {
    Path o = dir.resolve("out");
    assertThat(compare("--router-configs", onePool() + "," + twoPools(), "--gpus-per-endpoint",
        "2", "--trace", "builtin:long-mix?rate=8&duration=4s&long-share=0.2", "-o",
        o.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    // mode names from the file names; the first file's listen address (port 1) was not used
    Summary one = RunDirectory.open(o.resolve("one-pool-live")).readSummary();
    Summary two = RunDirectory.open(o.resolve("two-pools-live")).readSummary();
    assertThat(one.requests().total()).isEqualTo(two.requests().total()).isPositive();
    assertOneOutcomePerRow(one.requests());
    assertOneOutcomePerRow(two.requests());
    assertThat(one.requests().ok()).isPositive();
    assertThat(two.requests().ok()).isPositive();
    // every request of the one-pool config lands in its only pool; the other splits them
    assertThat(one.pools()).containsOnlyKeys("all");
    assertThat(one.pools().get("all").requests().total()).isEqualTo(one.requests().total());
    assertThat(two.pools()).containsOnlyKeys("short", "long");
    assertThat(two.pools().get("short").requests().total()).isPositive();
    assertThat(two.pools().get("long").requests().total()).isPositive()
        .isLessThan(two.pools().get("short").requests().total());
    // GPUs: endpoints x --gpus-per-endpoint, recorded as such
    assertThat(one.gpus()).isEqualTo(4);
    assertThat(two.gpus()).isEqualTo(8);
    JsonNode info = RunDirectory.mapper().readTree(o.resolve("two-pools-live/run.json").toFile());
    assertThat(info.path("config").path("gpus_per_endpoint").asInt()).isEqualTo(2);
    assertThat(info.path("config").path("gpus_note").asText()).contains("no GPU count");
    // the engines' counters were read: preemptions are known (this KV never runs short)
    assertThat(two.preemptions()).isZero();
    assertThat(two.pools().get("short").preemptions()).isZero();
    assertThat(o.resolve("two-pools-live/engine-metrics.csv")).exists();
    String html = Files.readString(o.resolve("report/index.html"));
    assertThat(html).contains("one-pool").contains("two-pools");
    assertThat(out.toString()).contains("report: ");
  }

  @Test
  void routerConfigs_modesCountDiffers_isExit2() throws Exception {
    assertThat(compare("--router-configs", onePool() + "," + twoPools(), "--modes", "a",
        "--trace", "builtin:long-mix", "-o", dir.resolve("x").toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--modes").contains("1 modes").contains("2 files");
  }

  @Test
  void routerConfigs_withSimOrSizedOrAFleet_isExit2NamingTheConflict() throws Exception {
    String configs = onePool() + "," + twoPools();
    Path fleet = Files.writeString(dir.resolve("fleet.yaml"), "name: x\n");
    assertThat(compare("--router-configs", configs, "--also-sim", "--trace", "builtin:long-mix",
        "-o", dir.resolve("x").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--also-sim needs a fleet");
    assertThat(compare("--router-configs", configs, "--sized", "--trace", "builtin:long-mix",
        "-o", dir.resolve("x").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--sized needs a fleet");
    assertThat(compare("--router-configs", configs, "--fleet", fleet.toString(), "--trace",
        "builtin:long-mix", "-o", dir.resolve("x").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--router-configs and --fleet/--preset exclude");
    assertThat(compare("--trace", "builtin:long-mix", "-o", dir.resolve("x").toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--router-configs=");
    assertThat(compare("--fleet", fleet.toString(), "--gpus-per-endpoint", "8", "--sim",
        "--trace", "builtin:long-mix", "-o", dir.resolve("x").toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--gpus-per-endpoint applies to --router-configs");
  }
}
