package io.poolbench.traces.prompt;

import java.util.List;
import java.util.Locale;

/**
 * JSON Lines. A piece is one object on its own line; a line ends in a newline and the next starts
 * with a brace or a value, so both tokenizers split at every line boundary.
 */
record JsonGrammar() implements Grammar {

  @Override
  public String piece(SplitMix rng) {
    StringBuilder sb = new StringBuilder(160);
    object(sb, rng, 2 + rng.nextInt(6), 0);
    return sb.append('\n').toString();
  }

  @Override
  public List<String> fillers() {
    return List.of("{}\n", "[]\n", "null\n", "true\n", "false\n", "0\n", "1\n", "\"\"\n");
  }

  @Override
  public String opener(long id, boolean atTextStart) {
    return "{\"trace\": \"" + Grammar.openerWords(id, " ") + "\"}\n";
  }

  private static void object(StringBuilder sb, SplitMix rng, int fields, int depth) {
    sb.append('{');
    for (int i = 0; i < fields; i++) {
      sb.append(i == 0 ? "\"" : ", \"").append(Grammar.identifier(rng)).append("\": ");
      value(sb, rng, depth);
    }
    sb.append('}');
  }

  private static void value(StringBuilder sb, SplitMix rng, int depth) {
    switch (rng.nextInt(depth == 0 ? 8 : 6)) {
      case 0 -> sb.append(rng.nextInt(100_000));
      case 1 -> sb.append(String.format(Locale.US, "%.3f", rng.nextDouble() * 100));
      case 2 -> sb.append(rng.chance(0.5) ? "true" : rng.chance(0.5) ? "false" : "null");
      case 3, 4 -> sb.append('"').append(rng.pick(WordLists.ADJECTIVES)).append(' ')
          .append(rng.pick(WordLists.NOUNS)).append('"');
      case 5 -> sb.append('"').append(Grammar.identifier(rng)).append('"');
      case 6 -> {
        int n = 1 + rng.nextInt(4);
        sb.append('[');
        for (int i = 0; i < n; i++) {
          sb.append(i == 0 ? "\"" : ", \"").append(rng.pick(WordLists.NOUNS)).append('"');
        }
        sb.append(']');
      }
      default -> object(sb, rng, 1 + rng.nextInt(3), depth + 1);
    }
  }
}
