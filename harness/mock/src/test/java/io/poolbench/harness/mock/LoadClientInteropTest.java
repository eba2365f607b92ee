package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.loadgen.http.ExchangeResult;
import io.poolbench.loadgen.http.LoadClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** poolbench's own load client reads the mock's streams, errors and deaths as vLLM's. */
class LoadClientInteropTest {
  private final MockFixture mock = MockFixture.start(MockFixture.settings(),
      MockFixture.spec(2048, 16, 1024));
  private final LoadClient client = new LoadClient(8, 1, Duration.ofSeconds(5),
      Duration.ofSeconds(30));

  @AfterEach
  void stop() {
    client.close();
    mock.close();
  }

  private ExchangeResult post(String json) throws Exception {
    CompletableFuture<ExchangeResult> done = new CompletableFuture<>();
    client.post(URI.create(mock.url() + "/v1/completions"),
        json.getBytes(StandardCharsets.UTF_8), Map.of(), gap -> { }, done::complete);
    return done.get(30, TimeUnit.SECONDS);
  }

  @Test
  void stream_isCompleteWithUsageAndEveryChunk() throws Exception {
    ExchangeResult r = post("{\"prompt\":" + ErrorsTest.tokens(300) + ",\"max_tokens\":12,"
        + "\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.stream().completed()).isTrue();
    assertThat(r.stream().contentChunks()).isEqualTo(12);
    assertThat(r.promptTokens()).isEqualTo(300);
    assertThat(r.completionTokens()).isEqualTo(12);
    assertThat(r.stream().finishReason()).isEqualTo("length");
    assertThat(r.stream().malformedEvents()).isZero();
  }

  @Test
  void contextError_isReadAsA400WithVllmsText() throws Exception {
    ExchangeResult r = post("{\"prompt\":" + ErrorsTest.tokens(2048) + ",\"stream\":true}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorMessage()).contains("maximum context length");
  }

  @Test
  void engineDeath_midStream_isAnInStreamErrorThenDone() throws Exception {
    CompletableFuture<ExchangeResult> done = new CompletableFuture<>();
    client.post(URI.create(mock.url() + "/v1/completions"), ("{\"prompt\":[1,2],"
        + "\"max_tokens\":1500,\"ignore_eos\":true,\"stream\":true}")
        .getBytes(StandardCharsets.UTF_8), Map.of(), gap -> { }, done::complete);
    Await.until("the stream is running", () -> mock.instance().inspect(
        e -> e.runningCount()).join() == 1);
    mock.instance().kill("test");

    ExchangeResult r = done.get(30, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.stream().done()).isTrue();
    assertThat(r.stream().errorMessage()).contains("EngineCore encountered an issue");
    assertThat(r.stream().errorCode()).isEqualTo(500);
  }
}
