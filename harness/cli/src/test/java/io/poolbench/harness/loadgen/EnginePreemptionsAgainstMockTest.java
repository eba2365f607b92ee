package io.poolbench.harness.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.loadgen.metrics.PromTextValues;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A client cannot see preemptions; the load generator reads them from the engine's
 * {@code vllm:num_preemptions_total}. Against a mock with too little KV cache for its batch, the
 * run's count must be the mock's own.
 */
class EnginePreemptionsAgainstMockTest {

  @TempDir Path dir;
  private MockServer mock;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stopMock() {
    if (mock != null) {
      mock.close();
    }
  }

  /** 64 blocks = 1,024 KV tokens for up to 16 sequences of 100 + 300 tokens: it must preempt. */
  private MockInstance smallKvMock() {
    InstanceSpec spec = new InstanceSpec("pool", 0, "my-model", EngineConfig.of(512, 16, 2048,
        64), new AffinePerfModel(1_000_000L, 100_000L, 8192), 0);
    mock = MockServer.start(MockSettings.defaults().withTimeScale(1), List.of(spec), line -> { });
    return mock.instances().get(0);
  }

  private Path trace(int rows) throws Exception {
    StringBuilder csv = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
    for (int i = 0; i < rows; i++) {
      csv.append("2023-11-16 18:00:00.0000000,100,300\n");
    }
    return Files.writeString(dir.resolve("trace.csv"), csv);
  }

  private int loadgen(String... extra) {
    List<String> args = new ArrayList<>(List.of("loadgen", "--status-interval", "0s",
        "--hlog-interval", "200ms"));
    args.addAll(List.of(extra));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  @Test
  void scrapeMetrics_smallKvMock_countsTheMocksOwnPreemptions() throws Exception {
    MockInstance instance = smallKvMock();
    Path run = dir.resolve("run");
    assertThat(loadgen("--trace", trace(12).toString(), "--target", instance.url(),
        "--scrape-metrics", instance.url(), "--gpus", "1", "-o", run.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    double own = PromTextValues.sums(instance.metricsText().get(10, TimeUnit.SECONDS),
        Set.of("vllm:num_preemptions_total")).get("vllm:num_preemptions_total");
    Summary s = RunDirectory.open(run).readSummary();
    assertThat(s.requests().ok()).isEqualTo(12);
    assertThat(own).isPositive();
    assertThat(s.preemptions()).isEqualTo((long) own);
    assertThat(s.pools().values().iterator().next().preemptions()).isEqualTo((long) own);
    assertThat(s.preemptionsPer1000()).isEqualTo(own * 1000 / 12);
    List<String> series = Files.readAllLines(run.resolve("engine-metrics.csv"));
    assertThat(series.size()).isGreaterThan(2);
    assertThat(out.toString()).contains(String.format(java.util.Locale.US, "preemptions: %,d (", (long) own));
  }

  @Test
  void noScrape_reportsPreemptionsUnknown() throws Exception {
    MockInstance instance = smallKvMock();
    Path run = dir.resolve("run");
    assertThat(loadgen("--trace", trace(6).toString(), "--target", instance.url(), "-o",
        run.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    Summary s = RunDirectory.open(run).readSummary();
    assertThat(s.requests().ok()).isEqualTo(6);
    assertThat(s.preemptions()).isNull();
    assertThat(Files.readString(run.resolve("summary.json")))
        .contains("\"preemptions\" : null");
    assertThat(out.toString()).contains("preemptions: — (unknown");
  }

  @Test
  void scrapeMetrics_unknownPool_isExit2() throws Exception {
    MockInstance instance = smallKvMock();
    assertThat(loadgen("--trace", trace(2).toString(), "--target", instance.url(),
        "--scrape-metrics", "nowhere=" + instance.url(), "-o", dir.resolve("x").toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--scrape-metrics").contains("nowhere");
  }
}
