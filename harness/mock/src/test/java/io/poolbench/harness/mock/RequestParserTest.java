package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.traces.prompt.TokenizerKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParserTest {
  private final RequestParser parser = new RequestParser(TokenizerKind.CL100K_BASE.encoding(),
      "m", 4096);

  private GenerationRequest parse(String json, boolean chat) throws RequestParser.Rejected {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8), chat);
  }

  @ParameterizedTest
  @CsvSource({"PROSE", "CODE", "CJK"})
  void longPrompts_countTokensInPiecesExactlyAsWhole(String category) throws Exception {
    var encoding = TokenizerKind.CL100K_BASE.encoding();
    var synth = new io.poolbench.traces.prompt.PromptSynthesizer(TokenizerKind.CL100K_BASE, 5);
    StringBuilder text = new StringBuilder(synth.text(30_000,
        io.poolbench.traces.prompt.ContentCategory.valueOf(category), 1));
    // runs of spaces, newlines, digits and a surrogate pair around the piece boundaries too
    for (int i = 0; i < 400; i++) {
      text.append(i % 3 == 0 ? "   \n\n 12345 " : " \uD83D\uDE00x  ").append("word").append(i);
    }
    String prompt = text.toString();
    assertThat(prompt.length()).isGreaterThan(3 * RequestParser.PIECE_CHARS);
    RequestParser wide = new RequestParser(encoding, "m", 1_000_000);
    String json = "{\"prompt\":" + com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
        .writeValueAsString(prompt) + ",\"max_tokens\":1}";
    GenerationRequest r = wide.parse(json.getBytes(StandardCharsets.UTF_8), false);
    assertThat(r.promptTokens()).containsExactly(encoding.countTokensOrdinary(prompt));
  }

  @Test
  void aHugeWordIsCountedInPiecesAndRejectedForItsLength() throws Exception {
    String word = "a".repeat(2_000_000);
    RequestParser.Rejected e = org.junit.jupiter.api.Assertions.assertThrows(
        RequestParser.Rejected.class, () -> parse("{\"prompt\":\"" + word
            + "\",\"max_tokens\":1}", false));
    assertThat(e.error().message()).contains("maximum context length is 4096 tokens")
        .contains("input tokens");
  }

  @Test
  void completions_batchOfPromptsCountsEach() throws Exception {
    GenerationRequest r = parse("{\"prompt\":[\"hello world\",[1,2,3,4,5,6,7]],\"n\":2}", false);

    assertThat(r.promptTokens()).containsExactly(2, 7);
    assertThat(r.choices()).isEqualTo(4);
    assertThat(r.declaredMaxTokens()).isEqualTo(16);
  }

  @Test
  void chat_maxCompletionTokensWinsOverMaxTokens_andAbsentMeansTheContextRest()
      throws Exception {
    GenerationRequest both = parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"max_tokens\":50,\"max_completion_tokens\":7}", true);
    GenerationRequest none = parse("{\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"image_url\"}]}]}", true);

    assertThat(both.declaredMaxTokens()).isEqualTo(7);
    assertThat(none.declaredMaxTokens()).isEqualTo(-1);
    assertThat(none.promptTokens()).containsExactly(11);
    assertThat(none.effectiveMaxTokens(11, 4096)).isEqualTo(4085);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      {"prompt":"x","stream":true,"stream_options":{}}                                   | true  | false
      {"prompt":"x","stream":true,"stream_options":{"include_usage":false}}              | false | false
      {"prompt":"x","stream":true,"stream_options":{"continuous_usage_stats":true}}      | true  | true
      {"prompt":"x","stream":true}                                                       | false | false
      """)
  void streamOptions_includeUsageDefaultsToTrueWhenTheObjectIsPresent(String json,
      boolean includeUsage, boolean continuous) throws Exception {
    GenerationRequest r = parse(json, false);

    assertThat(r.includeUsage()).isEqualTo(includeUsage);
    assertThat(r.continuousUsage()).isEqualTo(continuous);
  }

  @Test
  void truncatePromptTokens_leftTruncatesInsteadOfFailing() throws Exception {
    StringBuilder ids = new StringBuilder("[1");
    for (int i = 0; i < 5000; i++) {
      ids.append(",7");
    }
    ids.append(']');
    GenerationRequest r = parse("{\"prompt\":" + ids + ",\"truncate_prompt_tokens\":100}",
        false);

    assertThat(r.promptTokens()).containsExactly(100);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("{\"prompt\":\"x\","
        + "\"truncate_prompt_tokens\":5000}", false))
        .isInstanceOf(RequestParser.Rejected.class)
        .hasMessage("truncate_prompt_tokens value is greater than max_model_len. Please, select "
            + "a smaller truncation size.");
  }
}
