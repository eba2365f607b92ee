package io.poolbench.harness.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.reports.rundir.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code loadgen --start-at}, the start barrier of sharded runs, over real loopback HTTP: an
 * endpoint notes the wall-clock instant each completion request reaches it, so "no request before
 * the shared start" is checked where it matters, on the server's side.
 */
class LoadgenStartAtTest {

  @TempDir Path dir;
  private HttpServer server;
  private final ConcurrentLinkedQueue<Instant> arrivals = new ConcurrentLinkedQueue<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/completions", exchange -> {
      arrivals.add(Instant.now());
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("content-type", "text/event-stream; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(("data: {\"choices\":[{\"index\":0,\"text\":\"a\",\"finish_reason\":null}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"text\":\"b\",\"finish_reason\":\"length\"}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":2,"
            + "\"total_tokens\":22}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String target() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private int loadgen(String... extra) {
    List<String> args = new ArrayList<>(List.of("loadgen", "--status-interval", "0s",
        "--model", "m", "--target", target(), "--max-output-tokens", "2"));
    args.addAll(List.of(extra));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  @Test
  void sharedStartSecondsAhead_noShardSendsBeforeIt_andTheRunRecordsIt() throws Exception {
    // a first run loads the tokenizer and warms the JVM, so the barrier below is reached early
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=20&duration=1s&seed=4",
        "-o", dir.resolve("warm").toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    arrivals.clear();
    // the run's progress and warnings go to System.err
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    // 6 s ahead: set-up takes seconds on a busy machine, and a barrier reached late proves nothing
    Instant startAt = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
    try {
      shards(startAt);
    } finally {
      System.setErr(original);
    }
    String warnings = stderr.toString(StandardCharsets.UTF_8);
    original.print(warnings);
    // shard 0 waited for the start; shard 1 ran after shard 0 had finished, i.e. past the start
    // (within the slack): it starts at once and warns
    assertThat(warnings).contains("for the shared start at " + startAt)
        .contains("the start time " + startAt + " passed");
    assertThat(arrivals).isNotEmpty().allSatisfy(a -> assertThat(a).isAfterOrEqualTo(startAt));
    for (int shard = 0; shard < 2; shard++) {
      Path run = dir.resolve("shard-" + shard);
      JsonNode client = RunDirectory.mapper().readTree(run.resolve("loadgen.json").toFile());
      assertThat(client.path("start_at").asText()).isEqualTo(startAt.toString());
      assertThat(Instant.parse(client.path("plan_start").asText())).isAfterOrEqualTo(startAt);
      assertThat(RunDirectory.open(run).readRunInfo().config())
          .containsEntry("start_at", startAt.toString());
    }
    assertThat(RunDirectory.mapper().readTree(dir.resolve("shard-0/loadgen.json").toFile())
        .path("plan_start").asText()).isEqualTo(startAt.toString());
  }

  private void shards(Instant startAt) {
    for (int shard = 0; shard < 2; shard++) {
      Path run = dir.resolve("shard-" + shard);
      // the second shard is given the start as epoch milliseconds, the first as ISO-8601
      String at = shard == 0 ? startAt.toString() : Long.toString(startAt.toEpochMilli());
      assertThat(loadgen("--trace", "builtin:azure-conv?rate=20&duration=1s&seed=4",
          "--shard", shard + "/2", "--start-at", at, "-o", run.toString()))
          .as(err.toString()).isEqualTo(ExitCodes.OK);
    }
  }

  @Test
  void startLongPast_isExit2NamingTheValue_andNothingIsSent() {
    String past = Instant.now().minusSeconds(60).toString();
    Path run = dir.resolve("late");
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=20&duration=1s", "--start-at", past,
        "-o", run.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--start-at " + past).contains("s in the past")
        .doesNotContain("at io.poolbench");
    assertThat(arrivals).isEmpty();
    assertThat(Files.exists(run)).isFalse();
  }

  @Test
  void startNotAnInstant_isExit2WithTheExpectedForm() {
    assertThat(loadgen("--trace", "builtin:azure-conv?rate=20&duration=1s",
        "--start-at", "tomorrow", "-o", dir.resolve("x").toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("Bad --start-at 'tomorrow'").contains("ISO-8601")
        .contains("epoch milliseconds");
    assertThat(arrivals).isEmpty();
  }
}
