package io.poolbench.traces.prompt;

import java.util.List;

/**
 * How one content category builds its text: pool pieces, small filler pieces for hitting the
 * exact count, and the id-bearing opener that makes each segment's beginning unique.
 *
 * <p>Contract every implementation keeps (the tests check it against the real tokenizers): a
 * piece, a filler or a non-start opener starts where the pre-tokenizer always begins a new chunk
 * whatever precedes it (as long as that is another piece, filler or opener of the same grammar),
 * and ends where no chunk can continue into whatever follows.
 */
sealed interface Grammar permits ProseGrammar, CodeGrammar, CjkGrammar, JsonGrammar {

  /** Number of opener words: 8 words of 8 bits carry a 64-bit segment id. */
  int OPENER_WORDS = 8;

  /** One pool piece drawn with {@code rng}. */
  String piece(SplitMix rng);

  /** Candidates for short pieces used to finish a segment at its exact token count. */
  List<String> fillers();

  /**
   * The opener that encodes {@code id} injectively: distinct ids give distinct openers, none a
   * prefix of another.
   *
   * @param atTextStart true for the first segment of a prompt (no separator in front)
   */
  String opener(long id, boolean atTextStart);

  static Grammar of(ContentCategory category) {
    return switch (category) {
      case PROSE -> new ProseGrammar();
      case CODE -> new CodeGrammar();
      case CJK -> new CjkGrammar();
      case JSON -> new JsonGrammar();
    };
  }

  /** The {@code i}-th opener word for {@code id}: byte {@code i} of the id as a word. */
  static String openerWord(long id, int i) {
    return WordLists.OPENER[(int) (id >>> (8 * i)) & 0xFF];
  }

  /** The eight opener words joined by {@code separator}. */
  static String openerWords(long id, String separator) {
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < OPENER_WORDS; i++) {
      if (i > 0) {
        sb.append(separator);
      }
      sb.append(openerWord(id, i));
    }
    return sb.toString();
  }

  /** A snake_case identifier of one to three words. */
  static String identifier(SplitMix rng) {
    int words = 1 + rng.nextInt(3);
    StringBuilder sb = new StringBuilder(24).append(rng.pick(WordLists.NOUNS));
    for (int i = 1; i < words; i++) {
      sb.append('_').append(rng.pick(i == 1 ? WordLists.ADJECTIVES : WordLists.NOUNS));
    }
    return sb.toString();
  }

  static String capitalize(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
