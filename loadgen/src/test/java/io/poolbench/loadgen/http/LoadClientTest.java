package io.poolbench.loadgen.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.loadgen.http.ScriptedServer.Step;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadClientTest {

  private static final String STREAM_HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
      + "x-poolbench-pool: short\r\ntransfer-encoding: chunked\r\n\r\n";
  private static final byte[] BODY = "{\"model\":\"m\",\"prompt\":\"hi\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);

  private final LoadClient client = new LoadClient(8, 1, Duration.ofSeconds(2), Duration.ofMillis(800));
  private final List<Long> gaps = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    client.close();
  }

  private ExchangeResult exchange(List<Step> script) throws Exception {
    try (ScriptedServer server = new ScriptedServer(script)) {
      CompletableFuture<ExchangeResult> result = new CompletableFuture<>();
      client.post(server.uri("/v1/completions"), BODY, Map.of(), gaps::add, result::complete);
      return result.get(10, TimeUnit.SECONDS);
    }
  }

  private static String chunkEvent(String text) {
    return ScriptedServer.chunk("data: {\"choices\":[{\"index\":0,\"text\":\"" + text
        + "\",\"finish_reason\":null}],\"usage\":null}\n\n");
  }

  @Test
  void streamedResponse_chunksAreTimedAsTheyArrive() throws Exception {
    ExchangeResult r = exchange(List.of(
        new Step(STREAM_HEAD + chunkEvent("a"), 150),
        new Step(chunkEvent("b"), 150),
        new Step(ScriptedServer.chunk("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
            + "\"completion_tokens\":2,\"total_tokens\":5}}\n\ndata: [DONE]\n\n") + "0\r\n\r\n", 0)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.pool()).isEqualTo("short");
    assertThat(r.transportError()).isNull();
    assertThat(r.stream().completed()).isTrue();
    assertThat(r.stream().contentChunks()).isEqualTo(2);
    assertThat(r.promptTokens()).isEqualTo(3);
    // the second chunk was held back 150 ms by the server: the gap must show it
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(r.stream().firstContentNanos()).isGreaterThanOrEqualTo(r.sentNanos());
  }

  @Test
  void errorEnvelope_isParsedFromANonStreamedBody() throws Exception {
    String body = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
        + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}";
    ExchangeResult r = exchange(List.of(new Step("HTTP/1.1 400 Bad Request\r\ncontent-type: "
        + "application/json\r\ncontent-length: " + body.length() + "\r\n\r\n" + body, 0)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorMessage()).isEqualTo("This model's maximum context length is 8192 tokens.");
    assertThat(r.body().errorCode()).isEqualTo(400);
  }

  @Test
  void connectionDroppedMidStream_keepsWhatArrivedAndReportsTheFailure() throws Exception {
    ExchangeResult r = exchange(List.of(new Step(STREAM_HEAD + chunkEvent("a"), 50)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.transportError()).isNotNull();
    assertThat(r.stream()).isNotNull();
    assertThat(r.stream().contentChunks()).isEqualTo(1);
    assertThat(r.stream().done()).isFalse();
  }

  @Test
  void serverSilentBeyondTheResponseTimeout_isATimeout() throws Exception {
    ExchangeResult r = exchange(List.of(new Step(STREAM_HEAD + chunkEvent("a"), 3_000)));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.stream().contentChunks()).isEqualTo(1);
  }

  @Test
  void nothingListening_isATransportError() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CompletableFuture<ExchangeResult> result = new CompletableFuture<>();
    client.post(java.net.URI.create("http://127.0.0.1:" + port + "/v1/completions"), BODY, Map.of(),
        gaps::add, result::complete);
    ExchangeResult r = result.get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isZero();
    assertThat(r.transportError()).contains("Connect");
    assertThat(r.timedOut()).isFalse();
  }

  @Test
  void ioBuffers_areSmallOnlyForPoolsAboveTheLargePoolMark_andThePropertyWins() {
    assertThat(LoadClient.ioBufferBytes(null, 64)).isEqualTo(LoadClient.DEFAULT_IO_BUFFER_BYTES);
    assertThat(LoadClient.ioBufferBytes(" ", LoadClient.LARGE_POOL)).isEqualTo(4096);
    assertThat(LoadClient.ioBufferBytes(null, LoadClient.LARGE_POOL + 1)).isEqualTo(512);
    assertThat(LoadClient.ioBufferBytes("2048", 12_000)).isEqualTo(2048);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadClient.ioBufferBytes("100", 64))
        .hasMessage("-D" + LoadClient.IO_BUFFER_PROPERTY + "=100: expected a whole number of bytes >= 512");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadClient.ioBufferBytes("4k", 64))
        .hasMessageContaining("=4k: expected");
  }
}
