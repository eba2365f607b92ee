package io.poolbench.harness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.router.server.ProxyServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short and long requests through the router service reach the right pools, both APIs. */
@Timeout(60)
class ProxyRoutingTest {

  private static ProxyFixture f;

  @BeforeAll
  static void start() {
    f = ProxyFixture.twoPools(1, 1, 64, ProxyFixture.policy(), s -> s);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void shortCompletion_nonStreaming_servedByShortPool() {
    HttpResponse<String> r = f.post("/v1/completions",
        ProxyFixture.completion(ProxyFixture.prose(400, 1), 16, false));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("short");
    assertThat(r.headers().firstValue(ProxyServer.ENDPOINT_HEADER))
        .hasValue(f.instance(0, 0).url().substring("http://".length()));
    assertThat(r.body()).contains("\"object\":\"text_completion\"").contains("\"usage\":{");
  }

  @Test
  void longCompletion_streaming_servedByLongPool() {
    HttpResponse<String> r = f.post("/v1/completions",
        ProxyFixture.completion(ProxyFixture.prose(12_000, 2), 16, true));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("long");
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("text/event-stream"));
    assertThat(r.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"usage\":{");
  }

  @Test
  void chat_largeMaxTokens_servedByLongPool() {
    String body = "{\"model\":\"my-model\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + ProxyFixture.prose(300, 3) + "\"}],\"max_tokens\":4000}";
    HttpResponse<String> r = f.post("/v1/chat/completions", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("long");
    assertThat(r.body()).contains("chat.completion");
  }
}
