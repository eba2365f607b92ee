package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.TokenizerKind;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MockFixture mock = MockFixture.start();

  @AfterEach
  void stop() {
    mock.close();
  }

  @Test
  void chat_nonStreaming_hasVllmShapeAndTemplateOverhead() throws Exception {
    String content = "Summarize the plot of a long novel in two sentences.";
    HttpResponse<String> res = mock.post("/v1/chat/completions",
        "{\"model\":\"my-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content
            + "\"}],\"max_tokens\":5,\"ignore_eos\":true}");

    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    JsonNode message = body.get("choices").get(0).get("message");
    assertThat(message.get("role").asText()).isEqualTo("assistant");
    assertThat(message.get("content").asText()).matches("( [a-z]{3,9}){5}");
    int expectedPrompt = new PromptSynthesizer(TokenizerKind.CL100K_BASE, 1)
        .countChatPromptTokens(List.of(content));
    assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(expectedPrompt);
    assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(5);
    assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void chat_streaming_bytesMatchTheReferenceShape() {
    HttpResponse<String> res = mock.post("/v1/chat/completions",
        "{\"model\":\"my-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"max_tokens\":50,\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        Map.of("X-Request-Id", "xyz"));

    assertThat(res.statusCode()).isEqualTo(200);
    String head = "data: \\{\"id\":\"chatcmpl-xyz\",\"object\":\"chat.completion.chunk\","
        + "\"created\":\\d+,\"model\":\"my-model\",";
    String role = head + "\"choices\":\\[\\{\"index\":0,\"delta\":\\{\"role\":\"assistant\","
        + "\"content\":\"\"\\},\"logprobs\":null,\"finish_reason\":null\\}\\]\\}\n\n";
    String content = head + "\"choices\":\\[\\{\"index\":0,\"delta\":\\{\"content\":"
        + "\" [a-z]{3,9}\"\\},\"logprobs\":null,\"finish_reason\":null\\}\\]\\}\n\n";
    String last = head + "\"choices\":\\[\\{\"index\":0,\"delta\":\\{\"content\":"
        + "\" [a-z]{3,9}\"\\},\"logprobs\":null,\"finish_reason\":\"stop\","
        + "\"stop_reason\":null\\}\\]\\}\n\n";
    String usage = head + "\"choices\":\\[\\],\"usage\":\\{\"prompt_tokens\":11,"
        + "\"completion_tokens\":8,\"total_tokens\":19\\}\\}\n\n";
    String expected = role + "(" + content + "){7}" + last + usage + "data: \\[DONE\\]\n\n";
    assertThat(res.body()).matches(Pattern.compile(expected, Pattern.DOTALL));
  }

  @Test
  void chat_continuousUsage_addsRunningUsageToEveryChunk() {
    HttpResponse<String> res = mock.post("/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3,"
            + "\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true,"
            + "\"continuous_usage_stats\":true}}");

    List<String> events = events(res.body());
    assertThat(events).hasSize(6);
    assertThat(events.get(0)).contains("\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":0,"
        + "\"total_tokens\":11}");
    assertThat(events.get(2)).contains("\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,"
        + "\"total_tokens\":13}");
    assertThat(events.get(3)).contains("\"finish_reason\":\"length\"")
        .contains("\"completion_tokens\":3");
    assertThat(events.get(5)).isEqualTo("[DONE]");
  }

  @Test
  void chat_withoutStreamOptions_hasNoUsageChunk() {
    HttpResponse<String> res = mock.post("/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2,"
            + "\"ignore_eos\":true,\"stream\":true}");

    List<String> events = events(res.body());
    assertThat(events).hasSize(4);
    assertThat(res.body()).doesNotContain("usage");
  }

  @Test
  void chat_n2_streamsEachChoiceWithItsIndexAndSumsUsage() throws Exception {
    HttpResponse<String> res = mock.post("/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4,\"n\":2,"
            + "\"ignore_eos\":true}");

    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("choices")).hasSize(2);
    assertThat(body.get("choices").get(1).get("index").asInt()).isEqualTo(1);
    assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(8);
  }

  static List<String> events(String sse) {
    assertThat(sse).endsWith("\n\n");
    return java.util.Arrays.stream(sse.split("\n\n"))
        .peek(e -> assertThat(e).startsWith("data: "))
        .map(e -> e.substring(6))
        .toList();
  }
}
