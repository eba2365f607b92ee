package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompletionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MockFixture mock = MockFixture.start();

  @AfterEach
  void stop() {
    mock.close();
  }

  @Test
  void completion_nonStreaming_hasVllmShapeAndExactUsage() throws Exception {
    HttpResponse<String> res = mock.post("/v1/completions",
        "{\"model\":\"my-model\",\"prompt\":[1,2,3,4,5],\"max_tokens\":7,\"ignore_eos\":true}");

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("id").asText()).matches("cmpl-[0-9a-f]{32}");
    assertThat(body.get("object").asText()).isEqualTo("text_completion");
    assertThat(body.get("model").asText()).isEqualTo("my-model");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
    assertThat(choice.get("text").asText()).matches("( [a-z]{3,9}){7}");
    assertThat(body.get("usage").toString()).isEqualTo(
        "{\"prompt_tokens\":5,\"total_tokens\":12,\"completion_tokens\":7,"
            + "\"prompt_tokens_details\":null}");
    assertThat(res.body()).contains("\"service_tier\":null,\"system_fingerprint\":null")
        .endsWith(",\"kv_transfer_params\":null}");
  }

  @Test
  void completion_textPrompt_countsTokensWithTheTokenizer() throws Exception {
    HttpResponse<String> res = mock.post("/v1/completions",
        "{\"prompt\":\"Hello world, this is a test.\",\"max_tokens\":3}");

    JsonNode usage = JSON.readTree(res.body()).get("usage");
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(8);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void completion_withoutIgnoreEos_stopsAtNaturalLength() throws Exception {
    HttpResponse<String> res = mock.post("/v1/completions",
        "{\"prompt\":[1,2,3],\"max_tokens\":100}");

    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(8);
    assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void completion_streaming_bytesMatchTheReferenceShape() {
    HttpResponse<String> res = mock.post("/v1/completions",
        "{\"model\":\"my-model\",\"prompt\":[1,2,3,4,5],\"max_tokens\":2,\"ignore_eos\":true,"
            + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        Map.of("X-Request-Id", "abc"));

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("content-type"))
        .hasValue("text/event-stream; charset=utf-8");
    String chunk = "data: \\{\"id\":\"cmpl-abc\",\"object\":\"text_completion\","
        + "\"created\":\\d+,\"model\":\"my-model\",\"choices\":\\[\\{\"index\":0,"
        + "\"text\":\" [a-z]{3,9}\",\"logprobs\":null,\"finish_reason\":%s,"
        + "\"stop_reason\":null\\}\\],\"usage\":null\\}\n\n";
    String expected = String.format(chunk, "null") + String.format(chunk, "\"length\"")
        + "data: \\{\"id\":\"cmpl-abc\",\"object\":\"text_completion\",\"created\":\\d+,"
        + "\"model\":\"my-model\",\"choices\":\\[\\],\"usage\":\\{\"prompt_tokens\":5,"
        + "\"total_tokens\":7,\"completion_tokens\":2\\}\\}\n\n"
        + "data: \\[DONE\\]\n\n";
    assertThat(res.body()).matches(Pattern.compile(expected, Pattern.DOTALL));
  }
}
