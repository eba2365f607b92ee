package io.poolbench.router.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.poolbench.router.Api;
import io.poolbench.router.RequestView;
import io.poolbench.traces.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestBodyInspectorTest {

  private final RequestBodyInspector inspector = new RequestBodyInspector();
  private final RequestView view = new RequestView();
  private final TextSample sample = new TextSample(64, 16);

  private RequestView inspect(String json) {
    return inspector.inspect(json.getBytes(StandardCharsets.UTF_8), view.clear(), sample.clear());
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void completions_stringPrompt_countsUtf8BytesAndReadsFields() {
    inspect("""
        {"model":"m1","prompt":"héllo 世界 😀","max_tokens":64,"stream":true,
         "logit_bias":{"1":2},"stop":["\\n"]}""");
    assertThat(view.api()).isEqualTo(Api.COMPLETIONS);
    assertThat(view.promptBytes()).isEqualTo(utf8("héllo 世界 😀"));
    assertThat(view.exactPromptTokens()).isEqualTo(RequestView.UNSET);
    assertThat(view.maxTokens()).isEqualTo(64);
    assertThat(view.model()).isEqualTo("m1");
    assertThat(view.stream()).isTrue();
  }

  @Test
  void completions_listsOfStringsAndTokenIds_countBytesAndTokensExactly() {
    inspect("{\"prompt\":[\"ab\",\"cd\\\"e\"]}");
    assertThat(view.promptBytes()).isEqualTo(2 + 4);
    inspect("{\"prompt\":[1,2,3,4,5]}");
    assertThat(view.promptBytes()).isZero();
    assertThat(view.exactPromptTokens()).isEqualTo(5);
    inspect("{\"prompt\":[[1,2],[3],[]]}");
    assertThat(view.exactPromptTokens()).isEqualTo(3);
  }

  @Test
  void chat_messageContentStringsAndTextParts_countOnlyText() {
    inspect("""
        {"model":"m","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":[
            {"type":"text","text":"Describe"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
            {"type":"text","text":" это"}]},
          {"role":"assistant","content":null,
           "tool_calls":[{"id":"c","type":"function",
             "function":{"name":"f","arguments":"{\\"content\\":\\"xxxxxxxx\\"}"}}]}],
         "tools":[{"type":"function","function":{"name":"f","description":"content"}}],
         "max_tokens":10,"max_completion_tokens":20}""");
    assertThat(view.api()).isEqualTo(Api.CHAT);
    assertThat(view.promptBytes()).isEqualTo(utf8("Be brief.") + utf8("Describe") + utf8(" это"));
    assertThat(view.maxTokens()).isEqualTo(20);
    assertThat(inspector.images()).isEqualTo(1);
    assertThat(view.stream()).isFalse();
  }

  @Test
  void sample_isBoundedPerValueAndInTotal() {
    inspect("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(100)
        + "\"},{\"role\":\"user\",\"content\":\"" + "b".repeat(100) + "\"}]}");
    assertThat(sample.toString()).isEqualTo("a".repeat(16) + "b".repeat(16));
    assertThat(view.promptBytes()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "{\"prompt\":", "{\"max_tokens\":-1}", "{\"max_tokens\":1.5}",
      "{\"max_tokens\":\"9\"}", "{\"max_completion_tokens\":99999999999}"})
  void malformedBodiesAndBadCaps_areBadInput(String body) {
    assertThatThrownBy(() -> inspect(body)).isInstanceOf(BadInputException.class);
  }

  @Test
  void badCap_messageNamesFieldAndValue() {
    assertThatThrownBy(() -> inspect("{\"max_tokens\":-5}"))
        .hasMessage("request field 'max_tokens' (-5) is not a non-negative integer");
  }

  @Test
  void nullCap_isUnset() {
    assertThat(inspect("{\"prompt\":\"x\",\"max_tokens\":null}").hasMaxTokens()).isFalse();
  }

  @Test
  void randomText_anyEscaping_countsExactlyTheUtf8Length() throws IOException {
    // property: whatever the code points and however the JSON escapes them (raw UTF-8 or
    // \\uXXXX as Python's json.dumps does by default), the count equals the UTF-8 length
    SplittableRandom random = new SplittableRandom(42);
    int[][] ranges = {{0x20, 0x7E}, {0x00, 0x1F}, {0xA0, 0x7FF}, {0x4E00, 0x9FFF},
        {0x1F600, 0x1F64F}, {0xAC00, 0xD7AF}};
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(0, round < 290 ? 300 : 40_000);
      for (int i = 0; i < length; i++) {
        int[] range = ranges[random.nextInt(ranges.length)];
        text.appendCodePoint(random.nextInt(range[0], range[1] + 1));
      }
      boolean escapeAll = random.nextBoolean();
      boolean chat = random.nextBoolean();
      byte[] body = body(text.toString(), escapeAll, chat);
      inspector.inspect(body, view.clear(), sample.clear());
      assertThat(view.promptBytes()).as("round %d", round).isEqualTo(utf8(text.toString()));
    }
  }

  @Test
  void utf8Length_matchesJavaEncoderOnEveryPlane() {
    SplittableRandom random = new SplittableRandom(9);
    for (int round = 0; round < 2_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(0, 200);
      for (int i = 0; i < length; i++) {
        int cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x10FFFF);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          cp = 0xE000; // lone surrogates are not text
        }
        text.appendCodePoint(cp);
      }
      char[] chars = text.toString().toCharArray();
      assertThat(Utf8CountingWriter.utf8Length(chars, 0, chars.length))
          .isEqualTo(utf8(text.toString()));
    }
  }

  private static byte[] body(String text, boolean escapeAll, boolean chat) throws IOException {
    JsonFactory factory = JsonFactory.builder()
        .configure(JsonWriteFeature.ESCAPE_NON_ASCII, escapeAll).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", "m");
      if (chat) {
        g.writeArrayFieldStart("messages");
        g.writeStartObject();
        g.writeStringField("role", "user");
        g.writeStringField("content", text);
        g.writeEndObject();
        g.writeEndArray();
      } else {
        g.writeStringField("prompt", text);
      }
      g.writeNumberField("max_tokens", 5);
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}
