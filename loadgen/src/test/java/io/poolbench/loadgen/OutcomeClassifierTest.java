package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.loadgen.http.BodyResult;
import io.poolbench.loadgen.http.ExchangeResult;
import io.poolbench.loadgen.sse.StreamResult;
import io.poolbench.reports.rundir.OutcomeKind;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutcomeClassifierTest {

  private static BodyResult body(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return BodyResult.parse(b, b.length);
  }

  private static ExchangeResult plain(int status, String json) {
    return new ExchangeResult(status, null, null, 1, 2, 3, null, body(json), null, false);
  }

  private static StreamResult stream(boolean done, String error) {
    return new StreamResult(done, false, 3, 10, 20, 5, 3, "length", error, error == null ? 0 : 500, 0, false, 0);
  }

  private static ExchangeResult streamed(StreamResult s, String transportError) {
    return new ExchangeResult(200, "short", null, 1, 2, 3, s, null, transportError, false);
  }

  static Stream<Arguments> cases() {
    String ctx = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, "
        + "your request has 9000 input tokens. Please reduce the length of the input messages.\","
        + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}";
    String flatCtx = "{\"object\":\"error\",\"message\":\"'max_tokens' or 'max_completion_tokens' is too "
        + "large: 4096. This model's maximum context length is 8192 tokens and your request has 5000 "
        + "input tokens (4096 > 8192 - 5000).\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";
    String negative = "{\"error\":{\"message\":\"max_tokens must be at least 1, got -46771. "
        + "(parameter=max_tokens, value=-46771)\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}";
    String badParam = "{\"error\":{\"message\":\"max_tokens must be at least 1, got 0.\","
        + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}";
    String ok = "{\"choices\":[{\"text\":\"hi\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
    return Stream.of(
        Arguments.argumentSet("200 JSON with usage", plain(200, ok), OutcomeKind.OK),
        Arguments.argumentSet("200 body not JSON", plain(200, "oops"), OutcomeKind.ENGINE_FAILURE),
        Arguments.argumentSet("400 context, nested envelope", plain(400, ctx), OutcomeKind.REJECTED_CONTEXT),
        Arguments.argumentSet("400 context, flat envelope", plain(400, flatCtx), OutcomeKind.REJECTED_CONTEXT),
        Arguments.argumentSet("400 derived max_tokens < 1", plain(400, negative), OutcomeKind.REJECTED_CONTEXT),
        Arguments.argumentSet("400 other validation", plain(400, badParam), OutcomeKind.CLIENT_ERROR),
        Arguments.argumentSet("401 plain", plain(401, "{\"error\":\"Unauthorized\"}"), OutcomeKind.CLIENT_ERROR),
        Arguments.argumentSet("404 unknown model", plain(404, "{}"), OutcomeKind.CLIENT_ERROR),
        Arguments.argumentSet("429", plain(429, "{}"), OutcomeKind.REJECTED_OVERLOAD),
        Arguments.argumentSet("503", plain(503, "{}"), OutcomeKind.REJECTED_OVERLOAD),
        Arguments.argumentSet("500", plain(500, "{}"), OutcomeKind.ENGINE_FAILURE),
        Arguments.argumentSet("stream completed", streamed(stream(true, null), null), OutcomeKind.OK),
        Arguments.argumentSet("stream error event then DONE", streamed(stream(true, "EngineCore died"), null),
            OutcomeKind.ENGINE_FAILURE),
        Arguments.argumentSet("stream cut off", streamed(stream(false, null), "ConnectionClosedException"),
            OutcomeKind.ENGINE_FAILURE),
        Arguments.argumentSet("refused", new ExchangeResult(0, null, null, 1, 0, 3, null, null,
            "HttpHostConnectException: Connection refused", false), OutcomeKind.TRANSPORT_ERROR),
        Arguments.argumentSet("timed out mid stream", new ExchangeResult(200, null, null, 1, 2, 3,
            stream(false, null), null, "SocketTimeoutException", true), OutcomeKind.TIMEOUT));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void classify_givesTheOneOutcome(ExchangeResult result, OutcomeKind expected) {
    assertThat(OutcomeClassifier.classify(result)).isEqualTo(expected);
  }
}
