package io.poolbench.traces.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.api.Encoding;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatTemplateTest {

  private static final ChatTemplate TEMPLATE = ChatTemplate.LLAMA3;
  private static final Pattern SPECIAL = Pattern.compile("<\\|[a-z_]+\\|>");

  /** Tokens of rendered template text: each special token is one, the rest is ordinary text. */
  private static int countRendered(Encoding encoding, String rendered) {
    int specials = (int) SPECIAL.matcher(rendered).results().count();
    int ordinary = 0;
    for (String part : SPECIAL.split(rendered)) {
      ordinary += encoding.countTokensOrdinary(part);
    }
    return specials + ordinary;
  }

  @Test
  void overhead_oneMessage_isTenTokens() {
    assertThat(TEMPLATE.overheadTokens(1)).isEqualTo(10);
    assertThat(TEMPLATE.overheadTokens(3)).isEqualTo(20);
    assertThat(TEMPLATE.minPromptTokens()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 11, 512, 2048, 65536})
  void contentTokens_isInverseOfPromptTokens(int total) {
    assertThat(TEMPLATE.promptTokens(TEMPLATE.contentTokens(total))).isEqualTo(total);
    assertThat(TEMPLATE.contentTokens(TEMPLATE.promptTokens(total))).isEqualTo(total);
  }

  @Test
  void contentTokens_belowOverhead_namesTheValue() {
    assertThatThrownBy(() -> TEMPLATE.contentTokens(7))
        .isInstanceOf(BadInputException.class)
        .hasMessage("A chat prompt of 7 tokens is below the chat template overhead; "
            + "expected at least 10 tokens");
  }

  @Test
  void chatContent_traceRequest_leavesRoomForTheTemplate() {
    PromptSynthesizer synth = new PromptSynthesizer(TokenizerKind.CL100K_BASE, 5);
    TraceRequest request = new TraceRequest(0, 1500, 10, null, TraceRequest.NO_MAX_TOKENS,
        new long[] {3, 4}, false, 0, "conv.jsonl", 12);
    SynthesizedPrompt content = synth.chatContent(request, ContentCategory.PROSE, 1);
    assertThat(synth.countChatPromptTokens(List.of(content.text()))).isEqualTo(1500);
    assertThat(content.text())
        .startsWith(synth.prompt(512, new long[] {3}, ContentCategory.PROSE, 9).text());
  }

  @Test
  void chatContent_belowOverhead_namesTheRow() {
    PromptSynthesizer synth = new PromptSynthesizer(TokenizerKind.CL100K_BASE, 5);
    TraceRequest request = new TraceRequest(0, 4, 10, null, TraceRequest.NO_MAX_TOKENS, null,
        false, 0, "conv.jsonl", 12);
    assertThatThrownBy(() -> synth.chatContent(request, ContentCategory.PROSE, 1))
        .isInstanceOf(BadInputException.class)
        .hasMessage("conv.jsonl:12: A chat prompt of 4 tokens is below the chat template "
            + "overhead; expected at least 10 tokens");
  }

  @ParameterizedTest
  @EnumSource(TokenizerKind.class)
  void constants_matchTheTokenizedTemplate(TokenizerKind kind) {
    // Derivation check: render real conversations, count them as an engine would, and compare
    // with content tokens plus the documented overhead.
    PromptSynthesizer synth = new PromptSynthesizer(kind, 5);
    for (ContentCategory category : ContentCategory.values()) {
      String system = synth.text(40, category, 1);
      String user = synth.text(TEMPLATE.contentTokens(1000), category, 2);
      int rendered = countRendered(kind.encoding(), TEMPLATE.render(List.of(
          new ChatTemplate.Message("system", system), new ChatTemplate.Message("user", user))));
      assertThat(rendered).as("%s", category)
          .isEqualTo(synth.countChatPromptTokens(List.of(system, user)))
          .isEqualTo(TEMPLATE.promptTokens(2, 40 + 990));
      int single = countRendered(kind.encoding(),
          TEMPLATE.render(List.of(new ChatTemplate.Message("user", user))));
      assertThat(single).isEqualTo(1000);
    }
  }
}
