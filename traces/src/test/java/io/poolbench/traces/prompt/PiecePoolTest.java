package io.poolbench.traces.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariant exactness rests on: at every boundary between two parts (pieces, fillers,
 * openers) the tokenizer splits, so the token ids of a concatenation are the ids of its parts.
 */
class PiecePoolTest {

  /** Tolerance on the papers' bytes-per-token ratios (4.48, 3.52, 2.01): ±4%. */
  private static final double RATIO_TOLERANCE = 0.04;

  static Stream<Arguments> tokenizerAndCategory() {
    return Arrays.stream(TokenizerKind.values()).flatMap(k -> Arrays.stream(
        ContentCategory.values()).map(c -> Arguments.argumentSet(k.spelling() + " " + c.spelling(),
            k, c)));
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void concatenation_ofAnyTwoParts_tokenizesAsTheParts(TokenizerKind kind,
      ContentCategory category) {
    PiecePool pool = PiecePool.of(category, kind);
    Encoding encoding = kind.encoding();
    SplitMix rng = new SplitMix(3);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      parts.add(pool.fit[rng.nextInt(pool.fit.length)].text());
      parts.add(pool.grammar.opener(rng.nextLong(), false));
    }
    parts.addAll(pool.grammar.fillers());
    int checked = 0;
    for (String left : parts) {
      for (int j = 0; j < 12; j++) {
        String right = parts.get(rng.nextInt(parts.size()));
        assertThat(encoding.encodeOrdinary(left + right).boxed())
            .as("[%s] + [%s]", left, right)
            .isEqualTo(concat(encoding.encodeOrdinary(left).boxed(),
                encoding.encodeOrdinary(right).boxed()));
        checked++;
      }
      // A text-start opener may precede any part as well.
      String opener = pool.grammar.opener(rng.nextLong(), true);
      assertThat(encoding.countTokensOrdinary(opener + left))
          .isEqualTo(encoding.countTokensOrdinary(opener) + encoding.countTokensOrdinary(left));
    }
    assertThat(checked).isGreaterThan(3000);
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void fillers_includeOneTokenPieces(TokenizerKind kind, ContentCategory category) {
    PiecePool pool = PiecePool.of(category, kind);
    assertThat(pool.fitUpTo[1]).isPositive();
    assertThat(pool.fit[0].tokens()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void measuredRatio_matchesPaperWithinTolerance(TokenizerKind kind, ContentCategory category) {
    PromptSynthesizer synth = new PromptSynthesizer(kind, 1);
    double measured = synth.measureBytesPerToken(category, 24, 2048);
    if (category.paperBytesPerToken().isPresent()) {
      double paper = category.paperBytesPerToken().getAsDouble();
      assertThat(measured).as("%s %s bytes/token", kind, category)
          .isBetween(paper * (1 - RATIO_TOLERANCE), paper * (1 + RATIO_TOLERANCE));
    } else {
      // JSON has no published figure: structure-heavy text sits between code and CJK.
      assertThat(measured).isBetween(2.5, 4.0);
    }
  }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
