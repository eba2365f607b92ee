package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK talks to the mock as to vLLM. */
class OpenAiSdkConformanceTest {
  private final MockFixture mock = MockFixture.start();
  private final OpenAIClient client = OpenAIOkHttpClient.builder()
      .baseUrl(mock.url() + "/v1")
      .apiKey("unused")
      .maxRetries(0)
      .timeout(Duration.ofSeconds(30))
      .build();

  @AfterEach
  void stop() {
    client.close();
    mock.close();
  }

  @Test
  void completion_nonStreaming_parsesWithUsage() {
    Completion c = client.completions().create(CompletionCreateParams.builder()
        .model(MockFixture.MODEL).prompt("Once upon a time").maxTokens(6)
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build());

    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().get(0).text()).isNotBlank();
    assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("length");
    CompletionUsage usage = c.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(4);
    assertThat(usage.completionTokens()).isEqualTo(6);
    assertThat(usage.totalTokens()).isEqualTo(10);
  }

  @Test
  void completion_streaming_deliversEveryTokenAndFinalUsage() {
    CompletionCreateParams params = CompletionCreateParams.builder()
        .model(MockFixture.MODEL).prompt("Once upon a time").maxTokens(5)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build();
    try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
      List<Completion> chunks = stream.stream().toList();

      assertThat(chunks).hasSize(6);
      String text = chunks.stream().flatMap(c -> c.choices().stream())
          .map(ch -> ch.text()).collect(Collectors.joining());
      assertThat(text).matches("( [a-z]+){5}");
      CompletionUsage usage = chunks.get(5).usage().orElseThrow();
      assertThat(usage.completionTokens()).isEqualTo(5);
      assertThat(usage.promptTokens()).isEqualTo(4);
    }
  }

  @Test
  void chat_nonStreaming_parsesWithUsage() {
    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MockFixture.MODEL).addUserMessage("Hello there").maxCompletionTokens(4)
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build());

    assertThat(c.choices().get(0).message().content()).hasValueSatisfying(
        s -> assertThat(s).matches("( [a-z]+){4}"));
    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(4);
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(12);
  }

  @Test
  void chat_streaming_rolesContentAndUsage() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(MockFixture.MODEL).addUserMessage("Hello there").maxCompletionTokens(3)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();

      assertThat(chunks).hasSize(5);
      assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
      String text = chunks.stream().flatMap(c -> c.choices().stream())
          .map(ch -> ch.delta().content().orElse("")).collect(Collectors.joining());
      assertThat(text).matches("( [a-z]+){3}");
      assertThat(chunks.get(3).choices().get(0).finishReason().map(r -> r.asString()))
          .isEqualTo(Optional.of("length"));
      assertThat(chunks.get(4).usage().orElseThrow().completionTokens()).isEqualTo(3);
    }
  }

  @Test
  void errors_mapToTheSdksExceptions() {
    assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder()
        .model("nope").prompt("x").build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder()
        .model(MockFixture.MODEL).promptOfArrayOfTokens(List.of(1L, 2L)).maxTokens(5000)
        .build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("maximum context length");
  }
}
