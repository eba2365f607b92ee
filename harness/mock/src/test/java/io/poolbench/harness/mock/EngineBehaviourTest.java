package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.engine.MemoryLimit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine model's behaviour as HTTP clients and /metrics see it. */
class EngineBehaviourTest {
  private MockFixture mock;

  @AfterEach
  void stop() {
    if (mock != null) {
      mock.close();
    }
  }

  @Test
  void kvExhaustion_preemptsAndShowsInMetrics_yetEveryRequestCompletes() throws Exception {
    // 64 blocks = 1,024 KV tokens; 8 requests of 100 + 300 tokens need 200 blocks at the end.
    mock = MockFixture.start(MockFixture.settings().withTimeScale(20),
        MockFixture.spec(512, 16, 64));
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      for (int i = 0; i < 8; i++) {
        all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(mock.url() + "/v1/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":" + ErrorsTest.tokens(100)
                + ",\"max_tokens\":300,\"ignore_eos\":true}")).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (var f : all) {
        assertThat(f.get().statusCode()).isEqualTo(200);
        assertThat(f.get().body()).contains("\"completion_tokens\":300");
      }
    }
    String metrics = mock.metrics();
    double preemptions = PromParse.value(metrics, "vllm:num_preemptions_total");
    assertThat(preemptions).isGreaterThan(0);
    assertThat(PromParse.value(metrics, "vllm:request_success_total", "finished_reason",
        "length")).isEqualTo(8);
    assertThat(PromParse.value(metrics, "vllm:generation_tokens_total")).isEqualTo(2400);
    assertThat(PromParse.value(metrics, "vllm:kv_cache_usage_perc")).isZero();
  }

  @Test
  void clientDisconnect_abortsTheRequestAndFreesItsBlocks() {
    mock = MockFixture.start(MockFixture.settings().withTimeScale(1),
        MockFixture.spec(4096, 16, 1024));
    try (RawHttp raw = new RawHttp(mock.instance().port(), "/v1/completions",
        "{\"prompt\":" + ErrorsTest.tokens(500) + ",\"max_tokens\":2000,\"ignore_eos\":true,"
            + "\"stream\":true}")) {
      raw.readUntil("data: {");
      assertThat(usedBlocks()).isGreaterThan(0);
    }
    Await.until("the aborted request's blocks are free", () -> usedBlocks() == 0);
    String metrics = mock.metrics();
    assertThat(PromParse.value(metrics, "vllm:request_success_total", "finished_reason",
        "abort")).isEqualTo(1);
    assertThat(PromParse.value(metrics, "vllm:num_requests_running")).isZero();
    mock.instance().inspect(e -> {
      e.checkInvariants();
      return null;
    }).join();
  }

  @Test
  void injectedDeath_failsStreamsThen500sHealth503PortClosesAndComesBack() {
    mock = MockFixture.start(MockFixture.settings().withTimeScale(1)
        .withRestart(3_000_000_000L, 1_500_000_000L), MockFixture.spec(4096, 16, 1024));
    int port = mock.instance().port();
    try (RawHttp raw = new RawHttp(port, "/v1/completions", "{\"prompt\":[1,2,3],"
        + "\"max_tokens\":3000,\"ignore_eos\":true,\"stream\":true}")) {
      raw.readUntil("data: {");
      assertThat(mock.post("/admin/kill", "").statusCode()).isEqualTo(200);
      raw.readUntil("data: [DONE]\n\n");
      assertThat(raw.body()).contains("data: {\"error\":{\"message\":\"EngineCore encountered an "
          + "issue. See stack trace (above) for the root cause.\",\"type\":"
          + "\"InternalServerError\",\"param\":null,\"code\":500}}\n\ndata: [DONE]\n\n");
    }
    HttpResponse<String> after = mock.post("/v1/completions", "{\"prompt\":\"hi\"}");
    assertThat(after.statusCode()).isEqualTo(500);
    assertThat(after.body()).contains("EngineCore encountered an issue");
    assertThat(mock.get("/health").statusCode()).isEqualTo(503);

    Await.until("the dead port closes", () -> RawHttp.refused(port));
    Await.until("the instance restarts", () -> !RawHttp.refused(port)
        && mock.get("/health").statusCode() == 200);
    assertThat(mock.post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":2}")
        .statusCode()).isEqualTo(200);
    String metrics = mock.metrics();
    assertThat(PromParse.value(metrics, "vllm:generation_tokens_total")).isEqualTo(2);
    assertThat(PromParse.value(metrics, "vllm:request_success_total", "finished_reason",
        "error")).isZero();
  }

  @Test
  void cudaOom_killsTheEngineLikeAnInjectedDeath() {
    // Room for 100 blocks of KV but 1,000 forced: the step that holds too many blocks OOMs.
    long blockBytes = 1_000;
    EngineConfig engine = EngineConfig.of(4096, 16, 2048, 1000)
        .withMemory(new MemoryLimit(100 * blockBytes, blockBytes, 0));
    mock = MockFixture.start(MockFixture.settings().withTimeScale(20)
            .withRestart(60_000_000_000L, 30_000_000_000L),
        new InstanceSpec("test", 0, MockFixture.MODEL, engine, MockFixture.fastPerf(), 0));

    HttpResponse<String> res = mock.post("/v1/completions", "{\"prompt\":"
        + ErrorsTest.tokens(2000) + ",\"max_tokens\":10}");

    assertThat(res.statusCode()).isEqualTo(500);
    assertThat(res.body()).contains("EngineCore encountered an issue");
    assertThat(mock.get("/health").statusCode()).isEqualTo(503);
    assertThat(mock.instance().state()).isEqualTo(MockInstance.State.DEAD);
  }

  @Test
  void adminFail_answers503ForAWhile() {
    mock = MockFixture.start();
    mock.post("/admin/fail?status=503&seconds=30", "");

    HttpResponse<String> res = mock.post("/v1/completions", "{\"prompt\":\"hi\"}");

    assertThat(res.statusCode()).isEqualTo(503);
    assertThat(res.body()).startsWith("{\"error\":{").contains("\"code\":503");
  }

  @Test
  void adminDrop_cutsStreamsMidwayWithoutDone() {
    mock = MockFixture.start(MockFixture.settings().withTimeScale(1),
        MockFixture.spec(4096, 16, 1024));
    try (RawHttp raw = new RawHttp(mock.instance().port(), "/v1/completions",
        "{\"prompt\":[1,2,3],\"max_tokens\":3000,\"ignore_eos\":true,\"stream\":true}")) {
      raw.readUntil("data: {");
      assertThat(mock.post("/admin/drop", "").body()).isEqualTo("{\"dropped\":1}");
      assertThat(raw.readToEndOr("[DONE]")).doesNotContain("[DONE]");
    }
    Await.until("the dropped request is aborted", () -> PromParse.value(mock.metrics(),
        "vllm:request_success_total", "finished_reason", "abort") == 1);
  }

  @Test
  void streamInterval_batchesTokensButSendsTheFirstAtOnce() {
    mock = MockFixture.start(MockFixture.settings().withStreamInterval(4),
        MockFixture.spec(4096, 16, 1024));

    HttpResponse<String> res = mock.post("/v1/completions", "{\"prompt\":[1,2],"
        + "\"max_tokens\":10,\"ignore_eos\":true,\"stream\":true}");

    List<String> events = ChatTest.events(res.body());
    // 1 + 4 + 4 + 1 (the last chunk goes out with the finish reason) + [DONE]
    assertThat(events).hasSize(5);
    assertThat(events.get(1)).matches(".*\"text\":\"( [a-z]+){4}\".*");
    assertThat(events.get(3)).contains("\"finish_reason\":\"length\"");
  }

  private int usedBlocks() {
    return mock.instance().inspect(e -> e.usedBlocks()).join();
  }
}
