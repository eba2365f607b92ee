package io.poolbench.router.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CategorizerTest {

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.argumentSet("english prose",
            "The committee met on Tuesday to review the budget, and after a long discussion "
                + "(which ran past noon) it agreed to postpone the vote until next week.",
            Categorizer.PROSE),
        Arguments.argumentSet("java code",
            "public int sum(int[] xs) {\n  int s = 0;\n  for (int x : xs) { s += x; }\n"
                + "  return s;\n}", Categorizer.CODE),
        Arguments.argumentSet("python code",
            "def load(path):\n    with open(path) as f:\n        return [l.strip() for l in f]\n",
            Categorizer.CODE),
        Arguments.argumentSet("chinese", "今天天气很好，我们去公园散步吧。然后一起吃晚饭。",
            Categorizer.CJK),
        Arguments.argumentSet("japanese with latin", "これは test です。東京は大きい都市です。",
            Categorizer.CJK),
        Arguments.argumentSet("json", "{\"id\": 17, \"tags\": [\"a\", \"b\"], \"ok\": true}",
            Categorizer.JSON));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void sniff_namesTheCategory(String text, String expected) {
    assertThat(Categorizer.sniff(new TextSample().append(text))).isEqualTo(expected);
  }

  @Test
  void headerOrSniff_prefersHeader_lowerCased() {
    Categorizer c = new Categorizer();
    TextSample code = new TextSample().append("x = f(a[i]); y = {b};");
    assertThat(c.categorize(" Legal ", code)).isEqualTo("legal");
    assertThat(c.categorize(null, code)).isEqualTo(Categorizer.CODE);
    assertThat(c.categorize("", new TextSample())).isNull();
  }

  @Test
  void modes_headerOnlyAndNone() {
    TextSample code = new TextSample().append("x = f(a[i]); y = {b};");
    assertThat(new Categorizer(Categorizer.Mode.HEADER, "X-Cat").categorize(null, code)).isNull();
    assertThat(new Categorizer(Categorizer.Mode.HEADER, "X-Cat").headerName()).isEqualTo("x-cat");
    assertThat(new Categorizer(Categorizer.Mode.NONE, "x").categorize("code", code)).isNull();
    assertThat(Categorizer.Mode.named("HEADER_OR_SNIFF")).isEqualTo(
        Categorizer.Mode.HEADER_OR_SNIFF);
    assertThatThrownBy(() -> Categorizer.Mode.named("guess"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Unknown categorizer 'guess'; valid categorizers: header, sniff, "
            + "header-or-sniff, none");
  }
}
