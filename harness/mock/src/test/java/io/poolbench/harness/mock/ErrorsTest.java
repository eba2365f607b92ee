package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {
  private final MockFixture mock = MockFixture.start(MockFixture.settings(),
      MockFixture.spec(1000, 8, 512));

  @AfterEach
  void stop() {
    mock.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      prompt at the limit | /v1/completions | {"prompt":[%1000],"max_tokens":1} | 400 | This model's maximum context length is 1000 tokens. However, your request has 1000 input tokens. Please reduce the length of the input messages. | input_tokens
      max_tokens too large | /v1/completions | {"prompt":[%900],"max_tokens":200} | 400 | 'max_tokens' or 'max_completion_tokens' is too large: 200. This model's maximum context length is 1000 tokens and your request has 900 input tokens (200 > 1000 - 900). | max_tokens
      default max_tokens 16 too large | /v1/completions | {"prompt":[%990]} | 400 | 'max_tokens' or 'max_completion_tokens' is too large: 16. This model's maximum context length is 1000 tokens and your request has 990 input tokens (16 > 1000 - 990). | max_tokens
      unknown model | /v1/completions | {"model":"foo","prompt":"hi"} | 404 | The model `foo` does not exist. | model
      unknown model in chat | /v1/chat/completions | {"model":"foo","messages":[{"role":"user","content":"hi"}]} | 404 | The model `foo` does not exist. | model
      max_tokens zero | /v1/completions | {"prompt":"hi","max_tokens":0} | 400 | max_tokens must be at least 1, got 0. | max_tokens
      min_tokens over max | /v1/completions | {"prompt":"hi","min_tokens":32} | 400 | min_tokens must be less than or equal to max_tokens=16, got 32. | min_tokens
      negative min_tokens | /v1/completions | {"prompt":"hi","min_tokens":-1} | 400 | min_tokens must be greater than or equal to 0, got -1. | min_tokens
      n zero | /v1/chat/completions | {"messages":[{"role":"user","content":"hi"}],"n":0} | 400 | n must be at least 1, got 0. | n
      negative temperature | /v1/completions | {"prompt":"hi","temperature":-1} | 400 | temperature must be non-negative, got -1.0. | temperature
      stream options without stream | /v1/completions | {"prompt":"hi","stream_options":{"include_usage":true}} | 400 | Stream options can only be defined when `stream=True`. | stream_options
      suffix | /v1/completions | {"prompt":"hi","suffix":"x"} | 400 | suffix is not currently supported | suffix
      """)
  void request_invalid_getsVllmStatusEnvelopeAndText(String name, String path, String body,
      int status, String message, String param) {
    HttpResponse<String> res = mock.post(path, expand(body));

    assertThat(res.statusCode()).isEqualTo(status);
    assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
    String type = status == 404 ? "NotFoundError" : "BadRequestError";
    assertThat(res.body()).isEqualTo("{\"error\":{\"message\":\"" + message.replace("`", "`")
        + "\",\"type\":\"" + type + "\",\"param\":\"" + param + "\",\"code\":" + status + "}}");
  }

  @Test
  void contextError_whileStreaming_isStillAPlainJson400() {
    HttpResponse<String> res = mock.post("/v1/completions",
        "{\"prompt\":" + tokens(1200) + ",\"stream\":true}");

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("maximum context length is 1000 tokens");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      {"prompt": 
      [1,2,3]
      {"prompt":"hi","max_tokens":"many"}
      {"prompt":{"a":1}}
      {"messages":"hi"}
      {}
      """)
  void malformedOrIllTypedBody_is400NeverAHangOr500(String body) {
    HttpResponse<String> res = mock.post(body.contains("messages") ? "/v1/chat/completions"
        : "/v1/completions", body);

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).startsWith("{\"error\":{\"message\":\"")
        .contains("\"type\":\"BadRequestError\"");
  }

  @Test
  void unknownFields_areIgnored() {
    HttpResponse<String> res = mock.post("/v1/completions",
        "{\"prompt\":\"hi\",\"max_tokens\":2,\"frobnicate\":{\"x\":[1]},\"top_k\":-1}");

    assertThat(res.statusCode()).isEqualTo(200);
  }

  @Test
  void flatEnvelope_switch_sendsTheOldShape() {
    try (MockFixture flat = MockFixture.start(MockFixture.settings().withErrorStyle(
        ErrorStyle.FLAT), MockFixture.spec(1000, 8, 512))) {
      HttpResponse<String> res = flat.post("/v1/completions", "{\"model\":\"foo\",\"prompt\":\"x\"}");

      assertThat(res.statusCode()).isEqualTo(404);
      assertThat(res.body()).isEqualTo("{\"object\":\"error\",\"message\":\"The model `foo` does "
          + "not exist.\",\"type\":\"NotFoundError\",\"param\":\"model\",\"code\":404}");
    }
  }

  @Test
  void apiKey_missingOrWrong_is401PlainButInfoEndpointsStayOpen() {
    try (MockFixture keyed = MockFixture.start(MockFixture.settings().withApiKey("sekret"),
        MockFixture.spec(1000, 8, 512))) {
      HttpResponse<String> none = keyed.post("/v1/completions", "{\"prompt\":\"x\"}");
      HttpResponse<String> wrong = keyed.post("/v1/completions", "{\"prompt\":\"x\"}",
          Map.of("Authorization", "Bearer nope"));
      HttpResponse<String> right = keyed.post("/v1/completions",
          "{\"prompt\":\"x\",\"max_tokens\":1}", Map.of("Authorization", "Bearer sekret"));

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).isEqualTo("{\"error\":\"Unauthorized\"}");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(keyed.get("/health").statusCode()).isEqualTo(200);
      assertThat(keyed.get("/metrics").statusCode()).isEqualTo(200);
      assertThat(keyed.get("/v1/models").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void unknownPathAndWrongMethod_getFastApiDetail() {
    HttpResponse<String> missing = mock.get("/v1/nothing");
    HttpResponse<String> wrongMethod = mock.get("/v1/completions");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"detail\":\"Not Found\"}");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
  }

  @Test
  void bodyOverTheLimit_is413InTheEnvelope_andTheServerKeepsServing() {
    String prompt = "x".repeat(BodyLimit.MAX_BODY_BYTES);
    HttpResponse<String> big = mock.post("/v1/completions", "{\"prompt\":\"" + prompt + "\"}");
    HttpResponse<String> next = mock.post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":1}");

    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(big.body()).isEqualTo("{\"error\":{\"message\":\"Request body of "
        + (BodyLimit.MAX_BODY_BYTES + 13) + " bytes exceeds the limit of "
        + BodyLimit.MAX_BODY_BYTES + " bytes\",\"type\":\"RequestEntityTooLarge\","
        + "\"param\":null,\"code\":413}}");
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void parserLimit_isNamedWithoutTheParsersInternals() {
    String deep = "[".repeat(2000) + "]".repeat(2000);
    HttpResponse<String> res = mock.post("/v1/completions", "{\"prompt\":" + deep + "}");

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("json_invalid").contains("exceeds the maximum allowed (1000)")
        .doesNotContain("Constraints").doesNotContain("`");
  }

  /** Replaces {@code [%N]} with a list of N token ids. */
  private static String expand(String body) {
    int at = body.indexOf("[%");
    if (at < 0) {
      return body;
    }
    int end = body.indexOf(']', at);
    int n = Integer.parseInt(body.substring(at + 2, end));
    return body.substring(0, at) + tokens(n) + body.substring(end + 1);
  }

  static String tokens(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i > 0 ? "," : "").append(100 + i % 1000);
    }
    return sb.append(']').toString();
  }
}
