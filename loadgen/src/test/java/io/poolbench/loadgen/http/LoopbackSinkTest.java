package io.poolbench.loadgen.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The warm-up sink answers as an OpenAI server would, read through the run's own client. */
class LoopbackSinkTest {

  private static final byte[] BODY = "{\"model\":\"m\",\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

  private static ExchangeResult post(LoopbackSink sink, String path, StringBuilder text,
      List<Long> gaps) throws Exception {
    try (LoadClient client = new LoadClient(4, 1, Duration.ofSeconds(2), Duration.ofSeconds(5))) {
      CompletableFuture<ExchangeResult> result = new CompletableFuture<>();
      client.post(sink.uri(path), BODY, Map.of(), gaps::add, text, result::complete);
      return result.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void streamedCompletions_areParsedChunkByChunkWithUsage() throws Exception {
    List<Long> gaps = new CopyOnWriteArrayList<>();
    StringBuilder text = new StringBuilder();
    try (LoopbackSink sink = new LoopbackSink(false, true, 16)) {
      ExchangeResult r = post(sink, "/v1/completions", text, gaps);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.transportError()).isNull();
      assertThat(r.stream().completed()).isTrue();
      assertThat(r.stream().contentChunks()).isEqualTo(16);
      assertThat(r.completionTokens()).isEqualTo(16);
      assertThat(r.promptTokens()).isEqualTo(8);
      assertThat(gaps).hasSize(15);
      assertThat(text.toString()).isEqualTo(" warm".repeat(16));
      assertThat(sink.answered()).isEqualTo(1);
    }
  }

  @Test
  void chatStreams_andWholeBodies_areReadAsTheirApiShapes() throws Exception {
    try (LoopbackSink sink = new LoopbackSink(true, true, 4)) {
      StringBuilder text = new StringBuilder();
      ExchangeResult r = post(sink, "/v1/chat/completions", text, new CopyOnWriteArrayList<>());
      assertThat(r.stream().contentChunks()).isEqualTo(4);
      assertThat(text.toString()).isEqualTo(" warm".repeat(4));
    }
    try (LoopbackSink sink = new LoopbackSink(false, false, 5)) {
      StringBuilder text = new StringBuilder();
      ExchangeResult r = post(sink, "/v1/completions", text, new CopyOnWriteArrayList<>());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.stream()).isNull();
      assertThat(r.completionTokens()).isEqualTo(5);
      assertThat(text.toString()).isEqualTo(" warm".repeat(5));
    }
  }
}
