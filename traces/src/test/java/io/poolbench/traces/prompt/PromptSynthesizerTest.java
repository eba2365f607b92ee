package io.poolbench.traces.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.api.IntArrayList;
import io.poolbench.traces.TraceRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PromptSynthesizerTest {

  private static final int[] EDGE_LENGTHS = {1, 2, 3, 511, 512, 513, 8191, 8192, 32768};

  static Stream<Arguments> tokenizerAndCategory() {
    return Arrays.stream(TokenizerKind.values()).flatMap(k -> Arrays.stream(
        ContentCategory.values()).map(c -> Arguments.argumentSet(k.spelling() + " " + c.spelling(),
            k, c)));
  }

  private static PromptSynthesizer synth(TokenizerKind kind) {
    return new PromptSynthesizer(kind, 42);
  }

  /** The edges, then seeded random lengths spread log-uniformly over 1…32768. */
  private static List<Integer> lengths(long seed, int randomOnes) {
    List<Integer> lengths = new ArrayList<>();
    for (int n : EDGE_LENGTHS) {
      lengths.add(n);
    }
    Random random = new Random(seed);
    for (int i = 0; i < randomOnes; i++) {
      lengths.add((int) Math.max(1, Math.round(Math.exp(random.nextDouble() * Math.log(32768)))));
    }
    return lengths;
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void text_anyLength_hasExactlyThatManyTokens(TokenizerKind kind, ContentCategory category) {
    PromptSynthesizer synth = synth(kind);
    for (int n : lengths(kind.ordinal() * 31L + category.ordinal(), 40)) {
      SynthesizedPrompt prompt = synth.prompt(n, category, n * 7L);
      // Counted independently with the real tokenizer, not with the synthesizer's bookkeeping.
      assertThat(kind.encoding().countTokensOrdinary(prompt.text())).as("length %d", n)
          .isEqualTo(n);
      assertThat(prompt.tokens()).isEqualTo(n);
      assertThat(prompt.utf8Bytes())
          .isEqualTo(prompt.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void text_everyShortLength_isExact(TokenizerKind kind, ContentCategory category) {
    PromptSynthesizer synth = synth(kind);
    for (int n = 0; n <= 80; n++) {
      assertThat(synth.countTokens(synth.text(n, category, 1000 + n))).as("length %d", n)
          .isEqualTo(n);
    }
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void traceRequest_withPrefixHashes_isExact(TokenizerKind kind, ContentCategory category) {
    PromptSynthesizer synth = synth(kind);
    Random random = new Random(7);
    for (int i = 0; i < 12; i++) {
      int tokens = 1 + random.nextInt(6000);
      long[] hashes = random.longs(1 + random.nextInt(14), 0, 50).toArray();
      TraceRequest request = new TraceRequest(0, tokens, 10, null, TraceRequest.NO_MAX_TOKENS,
          hashes, false, 0, "t", i + 1);
      assertThat(synth.countTokens(synth.text(request, category, i))).as("request %d", i)
          .isEqualTo(tokens);
    }
  }

  @ParameterizedTest
  @EnumSource(ContentCategory.class)
  void text_sameSeedAndIndex_isIdentical(ContentCategory category) {
    PromptSynthesizer a = new PromptSynthesizer(TokenizerKind.CL100K_BASE, 9);
    PromptSynthesizer b = new PromptSynthesizer(TokenizerKind.CL100K_BASE, 9);
    assertThat(a.text(3000, category, 17)).isEqualTo(b.text(3000, category, 17));
    assertThat(a.text(3000, category, 17)).isNotEqualTo(a.text(3000, category, 18));
    assertThat(a.text(3000, category, 17))
        .isNotEqualTo(new PromptSynthesizer(TokenizerKind.CL100K_BASE, 10).text(3000, category,
            17));
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void text_distinctIndexes_differWithinFirstCacheBlock(TokenizerKind kind,
      ContentCategory category) {
    // vLLM caches prefixes in 16-token blocks: no two requests may share their first block.
    PromptSynthesizer synth = synth(kind);
    int tokens = Math.max(32, synth.uniqueAboveTokens(category));
    Set<List<Integer>> firstBlocks = new HashSet<>();
    for (long i = 0; i < 3000; i++) {
      IntArrayList ids = kind.encoding().encodeOrdinary(synth.text(tokens, category, i));
      firstBlocks.add(ids.boxed().subList(0, 16));
    }
    assertThat(firstBlocks).hasSize(3000);
  }

  @ParameterizedTest
  @EnumSource(ContentCategory.class)
  void text_manyIndexes_allDistinct(ContentCategory category) {
    PromptSynthesizer synth = synth(TokenizerKind.O200K_BASE);
    int tokens = synth.uniqueAboveTokens(category);
    Set<String> texts = new HashSet<>();
    for (long i = 0; i < 20_000; i++) {
      texts.add(synth.text(tokens, category, i * 1_000_003L));
    }
    assertThat(texts).hasSize(20_000);
  }

  @ParameterizedTest
  @MethodSource("tokenizerAndCategory")
  void prefixHashes_sharedBlocks_shareTextAndTokenIds(TokenizerKind kind,
      ContentCategory category) {
    PromptSynthesizer synth = synth(kind);
    String a = synth.prompt(2000, new long[] {11, 12, 13, 14}, category, 1).text();
    String b = synth.prompt(1900, new long[] {11, 12, 99, 14}, category, 2).text();
    String sharedPrefix = synth.prompt(1024, new long[] {11, 12}, category, 3).text();
    assertThat(a).startsWith(sharedPrefix);
    assertThat(b).startsWith(sharedPrefix);
    List<Integer> idsA = kind.encoding().encodeOrdinary(a).boxed();
    List<Integer> idsB = kind.encoding().encodeOrdinary(b).boxed();
    assertThat(idsA.subList(0, 1024)).isEqualTo(idsB.subList(0, 1024));
    // Block boundaries stay put: the shared prefix alone is exactly two blocks.
    assertThat(synth.countTokens(sharedPrefix)).isEqualTo(1024);
    // The third block differs within its first cache block, and so does everything after.
    assertThat(idsA.subList(1024, 1040)).isNotEqualTo(idsB.subList(1024, 1040));
  }

  @ParameterizedTest
  @EnumSource(ContentCategory.class)
  void prefixHashes_samePositionOnly_areShared(ContentCategory category) {
    PromptSynthesizer synth = synth(TokenizerKind.CL100K_BASE);
    String ab = synth.prompt(1024, new long[] {5, 6}, category, 1).text();
    String ba = synth.prompt(1024, new long[] {6, 5}, category, 1).text();
    String none = synth.prompt(1024, null, category, 1).text();
    assertThat(ab.substring(0, 40)).isNotEqualTo(ba.substring(0, 40));
    assertThat(ab.substring(0, 40)).isNotEqualTo(none.substring(0, 40));
  }

  @ParameterizedTest
  @EnumSource(ContentCategory.class)
  void prefixHashes_partialLastBlock_isPrefixOfFullBlock(ContentCategory category) {
    PromptSynthesizer synth = synth(TokenizerKind.CL100K_BASE);
    List<Integer> partial = TokenizerKind.CL100K_BASE.encoding()
        .encodeOrdinary(synth.prompt(700, new long[] {1, 2}, category, 1).text()).boxed();
    List<Integer> full = TokenizerKind.CL100K_BASE.encoding()
        .encodeOrdinary(synth.prompt(1024, new long[] {1, 2}, category, 2).text()).boxed();
    assertThat(partial).hasSize(700);
    assertThat(partial.subList(0, 512)).isEqualTo(full.subList(0, 512));
    // The partial block follows the full block's text until it must close its budget.
    assertThat(partial.subList(512, 560)).isEqualTo(full.subList(512, 560));
  }

  @Test
  void prefixHashes_moreThanThePromptNeeds_areIgnored() {
    PromptSynthesizer synth = synth(TokenizerKind.CL100K_BASE);
    String text = synth.prompt(600, new long[] {1, 2, 3, 4}, ContentCategory.PROSE, 1).text();
    assertThat(text).isEqualTo(synth.prompt(600, new long[] {1, 2}, ContentCategory.PROSE, 1)
        .text());
  }

  @Test
  void text_zeroTokens_isEmpty() {
    assertThat(synth(TokenizerKind.CL100K_BASE).text(0, ContentCategory.CODE, 1)).isEmpty();
  }

  @Test
  void text_negativeTokens_isRejected() {
    assertThatThrownBy(() -> synth(TokenizerKind.CL100K_BASE).text(-1, ContentCategory.CODE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("targetTokens (-1) must be >= 0");
  }
}
