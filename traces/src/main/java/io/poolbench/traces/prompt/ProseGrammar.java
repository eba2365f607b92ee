package io.poolbench.traces.prompt;

import java.util.Arrays;
import java.util.List;

/**
 * English-like prose. Pieces are sentences that start with a space and end with punctuation, so
 * a piece boundary is always "punctuation, then space and a letter", where both tokenizers split.
 */
record ProseGrammar() implements Grammar {

  /** Affixes that turn a common word into a rarer one, as real text does (tokens per word > 1). */
  private static final String[] PREFIXES = {"re", "un", "pre", "over", "sub", "inter", "non"};
  private static final String[] SUFFIXES = {"ness", "ment", "ity", "ly", "ize", "ation", "ful",
      "less", "ish", "wise", "like"};

  @Override
  public String piece(SplitMix rng) {
    int words = 4 + rng.nextInt(18);
    StringBuilder sb = new StringBuilder(words * 8);
    for (int i = 0; i < words; i++) {
      String word;
      if (i > 0 && rng.chance(0.025)) {
        word = Integer.toString(1 + rng.nextInt(rng.chance(0.5) ? 100 : 3000));
      } else if (rng.chance(0.5)) {
        word = rng.pick(WordLists.FUNCTION);
      } else {
        double kind = rng.nextDouble();
        word = rng.pick(kind < 0.5 ? WordLists.NOUNS
            : kind < 0.75 ? WordLists.VERBS : WordLists.ADJECTIVES);
        if (rng.chance(0.12)) {
          word = rng.pick(PREFIXES) + word;
        }
        if (rng.chance(0.12)) {
          word = word + rng.pick(SUFFIXES);
        }
      }
      boolean quoted = i > 0 && i < words - 1 && rng.chance(0.02);
      sb.append(quoted ? " \"" : " ").append(i == 0 ? Grammar.capitalize(word) : word);
      if (quoted) {
        sb.append('"');
      }
      if (i > 0 && i < words - 1 && rng.chance(0.1)) {
        sb.append(rng.chance(0.85) ? "," : rng.chance(0.5) ? ";" : ":");
      }
    }
    return sb.append(rng.chance(0.9) ? "." : rng.chance(0.5) ? "?" : "!").toString();
  }

  @Override
  public List<String> fillers() {
    return Arrays.stream(WordLists.FUNCTION).map(w -> " " + w).toList();
  }

  @Override
  public String opener(long id, boolean atTextStart) {
    String words = Grammar.capitalize(Grammar.openerWords(id, " ")) + ".";
    return atTextStart ? words : " " + words;
  }
}
