package io.poolbench.harness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed requests get vLLM's error envelope from the router; everyone else is served. */
@Timeout(60)
class ProxyMalformedTest {

  private static final int LIMIT = 64 * 1024;
  private static ProxyFixture f;

  @BeforeAll
  static void start() {
    f = ProxyFixture.twoPools(1, 1, 64, ProxyFixture.policy(), s -> s.withMaxBodyBytes(LIMIT));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static Stream<Arguments> malformed() {
    byte[] badUtf8 = "{\"prompt\":\"caf\u00e9 XX\",\"max_tokens\":4}".getBytes(
        StandardCharsets.UTF_8);
    badUtf8[14] = (byte) 0xC3; // a lead byte ...
    badUtf8[15] = (byte) 0x28; // ... followed by a non-continuation byte
    return Stream.of(
        Arguments.of("bad JSON", "/v1/completions",
            "{\"prompt\":\"hi\",".getBytes(StandardCharsets.UTF_8), 400, "not valid JSON"),
        Arguments.of("not an object", "/v1/completions",
            "[1,2,3]".getBytes(StandardCharsets.UTF_8), 400, "not a JSON object"),
        Arguments.of("max_tokens of the wrong type", "/v1/completions",
            "{\"prompt\":\"hi\",\"max_tokens\":\"lots\"}".getBytes(StandardCharsets.UTF_8), 400,
            "max_tokens"),
        Arguments.of("negative max_tokens", "/v1/chat/completions",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":-3}"
                .getBytes(StandardCharsets.UTF_8), 400, "max_tokens"),
        Arguments.of("completion without prompt", "/v1/completions",
            "{\"model\":\"my-model\",\"max_tokens\":4}".getBytes(StandardCharsets.UTF_8), 400,
            "'prompt'"),
        Arguments.of("chat without messages", "/v1/chat/completions",
            "{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8), 400, "'messages'"),
        Arguments.of("bad UTF-8", "/v1/completions", badUtf8, 400, "not valid UTF-8"),
        Arguments.of("huge body", "/v1/completions",
            ProxyFixture.completion(ProxyFixture.prose(LIMIT + 10, 1), 4, false)
                .getBytes(StandardCharsets.UTF_8), 413, "exceeds the router's limit"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedRequest_getsEnvelope_andRouterKeepsServing(String name, String path, byte[] body,
      int status, String message) {
    HttpResponse<String> r = f.postBytes(path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).startsWith("{\"error\":{\"message\":").contains(message)
        .contains("\"code\":" + status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    HttpResponse<String> ok = f.post("/v1/completions",
        ProxyFixture.completion(ProxyFixture.prose(200, 2), 4, false));
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPath_gets404Envelope() {
    HttpResponse<String> r = f.get("/v1/nothing-here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("\"type\":\"NotFoundError\"");
  }
}
