package io.poolbench.harness.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.mock.OutputLengths;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The load generator against the mock vLLM server over real loopback HTTP: the whole CLI path,
 * from trace to run directory.
 */
class LoadgenAgainstMockTest {

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

  private MockInstance start(int maxModelLen, int maxNumSeqs, double timeScale) {
    // W = 2 ms, H = 0.2 ms at 8K per step: quick but real steps
    InstanceSpec spec = new InstanceSpec("pool", 0, "my-model",
        EngineConfig.of(maxModelLen, maxNumSeqs, 4096, 8192), new AffinePerfModel(2_000_000L, 200_000L, 8192), 0);
    MockSettings settings = MockSettings.defaults().withTimeScale(timeScale)
        .withOutputLengths(OutputLengths.parse("fixed:16")).withRestart(1_000_000_000L, 200_000_000L);
    mock = MockServer.start(settings, List.of(spec), line -> { });
    return mock.instances().get(0);
  }

  private int loadgen(String... extra) {
    List<String> args = new ArrayList<>(List.of("loadgen", "--status-interval", "0s"));
    args.addAll(List.of(extra));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  private static Summary summary(Path run) {
    return RunDirectory.open(run).readSummary();
  }

  private static JsonNode clientJson(Path run) throws Exception {
    return RunDirectory.mapper().readTree(run.resolve("loadgen.json").toFile());
  }

  @Test
  void streamingRun_everyRowOk_atThePlannedRate() throws Exception {
    MockInstance instance = start(16_384, 64, 2);
    Path run = dir.resolve("run");
    Path vllm = dir.resolve("vllm.json");
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=40&duration=6s&seed=3",
        "--max-output-tokens", "24", "--target", instance.url(), "--gpus", "2", "-o", run.toString(),
        "--vllm-json", vllm.toString(), "--save-detailed", "--metric-percentiles", "50,99"))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    Summary s = summary(run);
    assertThat(s.requests().total()).isGreaterThan(150);
    assertThat(s.requests().ok()).isEqualTo(s.requests().total());
    assertThat(s.ttftMs().p50()).isPositive();
    assertThat(s.itlMs().count()).isPositive();
    assertThat(s.gpus()).isEqualTo(2);
    JsonNode client = clientJson(run);
    assertThat(client.path("achieved_vs_planned").asDouble()).isBetween(0.9, 1.1);
    assertThat(out.toString()).contains("run directory: " + run)
        .containsPattern("send lag: p50 [0-9.]+ ms, p99 [0-9.]+ ms, p99\\.9 [0-9.]+ ms, max [0-9.]+ ms")
        .containsPattern("loadgen: CPU [0-9.]+ s \\([0-9.]+ ms per request\\), GC [0-9,]+ ms")
        .doesNotContain("{count=");
    assertThat(s.sendLagMs().count()).isEqualTo(s.requests().total());
    assertThat(s.sendLagMs().p50()).isLessThanOrEqualTo(s.sendLagMs().p99());
    assertThat(s.sendLagMs().p99()).isLessThanOrEqualTo(s.sendLagMs().max());
    // vllm bench serve's result layout, for tools that read it
    JsonNode v = RunDirectory.mapper().readTree(vllm.toFile());
    assertThat(v.path("completed").asLong()).isEqualTo(s.requests().ok());
    assertThat(v.path("input_lens").size()).isEqualTo((int) s.requests().total());
    assertThat(v.path("model_id").asText()).isEqualTo("my-model");
    assertThat(v.path("p99_ttft_ms").asDouble()).isPositive();
    // itl statistics are over every gap; chunks read at once have gaps near 0
    assertThat(v.path("mean_itl_ms").asDouble()).isPositive();
    assertThat(v.path("median_itl_ms").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(v.has("p99_e2el_ms") && v.has("mean_tpot_ms") && v.has("std_ttft_ms")).isTrue();
    // the model was discovered from /v1/models, and run.json tells what ran
    assertThat(RunDirectory.open(run).readRunInfo().config()).containsEntry("model", "my-model");
  }

  @Test
  void promptOverMaxModelLen_isRejectedContext_andChatWorks() {
    MockInstance instance = start(2_048, 32, 4);
    Path run = dir.resolve("chat");
    // azure-code prompts reach 7.4K tokens: above this instance's 2,048
    assertThat(loadgen("--trace", "builtin:azure-code?rate=30&duration=5s&seed=2", "--api", "chat",
        "--max-output-tokens", "8", "--target", instance.url(), "-o", run.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    Summary s = summary(run);
    assertThat(s.requests().rejectedContext()).isPositive();
    assertThat(s.requests().ok()).isPositive();
    assertThat(s.requests().ok() + s.requests().rejectedContext()).isEqualTo(s.requests().total());
  }

  @Test
  void serverStall_showsInPlannedTimeLatencies_notHiddenByTheConcurrencyCap() throws Exception {
    MockInstance instance = start(16_384, 64, 2);
    Path run = dir.resolve("stall");
    Thread staller = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(2_500);
      } catch (InterruptedException e) {
        return;
      }
      instance.slowDown(10_000, 2_000_000_000L); // steps ~10,000x slower for 2 s: a stall
    });
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=20&duration=7s&seed=5",
        "--max-output-tokens", "16", "--max-concurrency", "4", "--target", instance.url(),
        "-o", run.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    staller.join();
    Summary s = summary(run);
    // requests due during the stall waited for it: from their planned time they took > 1 s, even
    // though each one, once sent, may have been quick (a closed-loop tool would report only that)
    assertThat(s.ttftMs().max()).isGreaterThan(1_000);
    assertThat(clientJson(run).path("slot_wait_ms").path("max").asDouble()).isGreaterThan(500);
  }

  @Test
  void mockKilledMidRun_everyRowStillEndsInExactlyOneOutcome() {
    MockInstance instance = start(16_384, 64, 2);
    Path run = dir.resolve("killed");
    Thread killer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        return;
      }
      instance.kill("injected by the test");
    });
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=30&duration=5s&seed=7",
        "--max-output-tokens", "64", "--target", instance.url(), "--timeout", "5s",
        "-o", run.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    Summary s = summary(run);
    var r = s.requests();
    assertThat(r.ok() + r.rejectedContext() + r.rejectedOverload() + r.engineFailure() + r.timeout()
        + r.clientError() + r.transportError() + r.notSent()).isEqualTo(r.total());
    assertThat(r.engineFailure() + r.transportError()).isPositive();
    assertThat(r.ok()).isPositive();
  }

  private static int refusedPort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort(); // closed again: nothing listens there
    }
  }

  @Test
  void refusedTarget_withoutModel_isNamedAsSuch_andExitsUnreachable() throws Exception {
    String url = "http://127.0.0.1:" + refusedPort();
    Path run = dir.resolve("refused");
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=10&duration=2s&seed=3",
        "--target", url, "-o", run.toString())).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString())
        .contains("poolbench: connection refused: " + url + "/v1/models (is the server running?)")
        .doesNotContain("null").doesNotContain("\tat ");
  }

  @Test
  void refusedTarget_withModel_everyRowEndsOnce_andExitsUnreachable() throws Exception {
    String url = "http://127.0.0.1:" + refusedPort();
    Path run = dir.resolve("refused-model");
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=20&duration=2s&seed=3",
        "--model", "m", "--target", url, "-o", run.toString())).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString())
        .contains("poolbench: connection refused: " + url + "/v1/models (is the server running?); all ")
        .contains("requests sent ended in transport_error (the run directory is written)");
    var r = summary(run).requests();
    assertThat(r.total()).isPositive();
    assertThat(r.transportError()).isEqualTo(r.total());
  }

  @Test
  void shardsThenMerge_coverEveryRowOnce_andTheMergeSumsTheShards() throws Exception {
    MockInstance instance = start(16_384, 64, 4);
    String trace = "builtin:azure-conv?rate=30&duration=4s&seed=11";
    List<Path> shardDirs = new ArrayList<>();
    long sumOk = 0;
    long sumTtftCount = 0;
    for (int i = 0; i < 2; i++) {
      Path shard = dir.resolve("shard-" + i);
      shardDirs.add(shard);
      assertThat(loadgen("--trace", trace, "--max-output-tokens", "8", "--target", instance.url(),
          "--shard", i + "/2", "-o", shard.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
      sumOk += summary(shard).requests().ok();
      sumTtftCount += summary(shard).ttftMs().count();
    }
    Path whole = dir.resolve("whole");
    assertThat(loadgen("--trace", trace, "--max-output-tokens", "8", "--target", instance.url(),
        "-o", whole.toString())).isEqualTo(ExitCodes.OK);
    Path merged = dir.resolve("merged");
    List<String> args = new ArrayList<>(List.of("merge"));
    shardDirs.forEach(p -> args.add(p.toString()));
    args.addAll(List.of("-o", merged.toString()));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isEqualTo(ExitCodes.OK);

    Summary m = summary(merged);
    Summary w = summary(whole);
    // the shards replayed every row of the trace exactly once between them
    assertThat(m.requests().total()).isEqualTo(w.requests().total());
    assertThat(m.requests().ok()).isEqualTo(sumOk).isEqualTo(w.requests().ok());
    assertThat(m.ttftMs().count()).isEqualTo(sumTtftCount);
    assertThat(RunDirectory.open(merged).readRunInfo().trace().requests()).isEqualTo(w.requests().total());
  }
}
