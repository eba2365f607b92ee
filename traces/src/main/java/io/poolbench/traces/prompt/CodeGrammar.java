package io.poolbench.traces.prompt;

import java.util.List;

/**
 * Python-like source code. Pieces are whole lines ending in a newline and never start with a
 * newline or a slash, so a boundary is "newline, then indentation or a non-space character",
 * where both tokenizers split (o200k_base would glue a leading {@code /} onto a newline).
 */
record CodeGrammar() implements Grammar {

  private static final String[] OPS = {"<", ">", "==", "!=", ">=", "<="};
  private static final String[] MODULES = {"os", "sys", "json", "time", "math", "logging",
      "collections", "itertools", "pathlib", "typing", "dataclasses", "asyncio", "re"};

  private static final String[] SHORT = {"i", "j", "k", "n", "x", "y", "idx", "buf", "cfg",
      "ctx", "req", "resp", "tmp", "val", "key", "out", "acc", "row", "col", "obj", "err", "msg"};
  private static final String[] TYPES = {"int", "str", "float", "bool", "bytes", "list[int]",
      "dict[str, int]", "Optional[str]", "Sequence[float]"};

  @Override
  public String piece(SplitMix rng) {
    int level = rng.nextInt(3);
    String in = "    ".repeat(level + 1);
    String var = name(rng);
    return switch (rng.nextInt(16)) {
      case 0 -> "def " + Grammar.identifier(rng) + "(self, " + name(rng) + ": "
          + rng.pick(TYPES) + ", " + name(rng) + "=None) -> " + rng.pick(TYPES) + ":\n"
          + "    \"\"\"" + Grammar.capitalize(words(rng, 3 + rng.nextInt(6))) + ".\"\"\"\n";
      case 12 -> in + name(rng) + ", " + name(rng) + " = " + name(rng) + "[" + name(rng)
          + " + 1], " + name(rng) + "[" + rng.nextInt(10) + ":]\n";
      case 13 -> in + "if not " + var + " or " + name(rng) + ".get(\"" + rng.pick(WordLists.NOUNS)
          + "\", " + rng.nextInt(10) + ") <= 0:\n" + in + "    " + var + " = {}\n";
      case 14 -> in + var + " += (" + name(rng) + " * " + rng.nextInt(64) + ") % max(1, "
          + name(rng) + ")\n";
      case 15 -> in + "assert " + var + " is not None, f\"{" + name(rng) + "!r}\"\n";
      case 1 -> in + var + " = " + expr(rng) + "\n";
      case 2 -> in + "if " + var + " " + rng.pick(OPS) + " " + rng.nextInt(1000) + ":\n"
          + in + "    return " + expr(rng) + "\n";
      case 3 -> in + "for " + var + " in " + Grammar.identifier(rng) + "s:\n"
          + in + "    " + Grammar.identifier(rng) + ".append(" + expr(rng) + ")\n";
      case 4 -> in + "# " + words(rng, 3 + rng.nextInt(8)) + "\n";
      case 5 -> "class " + camel(rng) + "(" + camel(rng) + "):\n";
      case 6 -> in + "return " + expr(rng) + "\n";
      case 7 -> "        self." + var + " = " + var + "\n";
      case 8 -> rng.chance(0.5) ? "import " + rng.pick(MODULES) + "\n"
          : "from " + rng.pick(MODULES) + " import " + Grammar.identifier(rng) + "\n";
      case 9 -> in + "logger.info(\"" + words(rng, 2 + rng.nextInt(4)) + " %s\", " + var + ")\n";
      case 10 -> in + "raise ValueError(f\"" + words(rng, 2 + rng.nextInt(3)) + ": {" + var
          + "}\")\n";
      default -> in + var + "[\"" + rng.pick(WordLists.NOUNS) + "\"] = " + expr(rng) + "\n";
    };
  }

  @Override
  public List<String> fillers() {
    return List.of(")\n", "]\n", "}\n", "):\n", "    pass\n", "        pass\n", "    break\n",
        "        continue\n", "else:\n", "try:\n", "    else:\n", "        else:\n");
  }

  @Override
  public String opener(long id, boolean atTextStart) {
    return "# trace " + Grammar.openerWords(id, " ") + "\n";
  }

  private static String expr(SplitMix rng) {
    return switch (rng.nextInt(9)) {
      case 0 -> name(rng);
      case 1 -> Integer.toString(rng.nextInt(4096));
      case 2 -> Grammar.identifier(rng) + " + " + rng.nextInt(100);
      case 3 -> "self." + Grammar.identifier(rng) + "(" + args(rng) + ")";
      case 4 -> Grammar.identifier(rng) + "(" + args(rng) + ")";
      case 5 -> "\"" + rng.pick(WordLists.NOUNS) + "\"";
      case 6 -> "len(" + Grammar.identifier(rng) + ")";
      case 7 -> "[" + args(rng) + "]";
      default -> "{\"" + rng.pick(WordLists.NOUNS) + "\": " + Grammar.identifier(rng) + "}";
    };
  }

  private static String args(SplitMix rng) {
    int n = rng.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(name(rng));
    }
    return sb.toString();
  }

  /** A variable name: short ones are common in real code, long snake_case ones too. */
  private static String name(SplitMix rng) {
    return rng.chance(0.45) ? rng.pick(SHORT) : Grammar.identifier(rng);
  }

  private static String camel(SplitMix rng) {
    return Grammar.capitalize(rng.pick(WordLists.ADJECTIVES))
        + Grammar.capitalize(rng.pick(WordLists.NOUNS));
  }

  private static String words(SplitMix rng, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(rng.pick(i % 2 == 0 ? WordLists.NOUNS
          : rng.chance(0.5) ? WordLists.FUNCTION : WordLists.VERBS));
    }
    return sb.toString();
  }
}
