package io.poolbench.traces.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamedTest {

  @ParameterizedTest
  @CsvSource({"prose, PROSE", "Code, CODE", "CJK, CJK", " json , JSON"})
  void category_anyCase_isFound(String spelling, ContentCategory expected) {
    assertThat(ContentCategory.named(spelling)).isEqualTo(expected);
  }

  @Test
  void category_unknown_listsValidNames() {
    assertThatThrownBy(() -> ContentCategory.named("poetry"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Unknown content category 'poetry'; expected one of prose, code, cjk, json");
  }

  @ParameterizedTest
  @CsvSource({"cl100k_base, CL100K_BASE", "O200K-BASE, O200K_BASE"})
  void tokenizer_anyCaseOrDash_isFound(String spelling, TokenizerKind expected) {
    assertThat(TokenizerKind.named(spelling)).isEqualTo(expected);
  }

  @Test
  void tokenizer_unknown_listsValidNames() {
    assertThatThrownBy(() -> TokenizerKind.named("gpt2"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Unknown tokenizer 'gpt2'; expected one of cl100k_base, o200k_base");
  }
}
