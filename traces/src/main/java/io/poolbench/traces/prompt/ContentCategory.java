package io.poolbench.traces.prompt;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The kind of text a synthesized prompt contains, with the bytes-per-token ratio the token-budget
 * routing papers measured for it (arXiv 2604.08075 Table 5: prose 4.48, code 3.52, CJK 2.01 UTF-8
 * bytes per token). JSON has no published figure; its ratio is whatever its structure gives.
 */
public enum ContentCategory {
  /** English-like prose: sentences of common words. */
  PROSE(4.48),
  /** Python-like source code: indented statements, calls, comments. */
  CODE(3.52),
  /** Chinese text: clauses of CJK ideographs separated by full-width punctuation. */
  CJK(2.01),
  /** JSON Lines: one object per line with strings, numbers, arrays and nested objects. */
  JSON(Double.NaN);

  private final double paperBytesPerToken;

  ContentCategory(double paperBytesPerToken) {
    this.paperBytesPerToken = paperBytesPerToken;
  }

  /** The UTF-8 bytes per token the papers measured for this category, if they report one. */
  public OptionalDouble paperBytesPerToken() {
    return Double.isNaN(paperBytesPerToken)
        ? OptionalDouble.empty()
        : OptionalDouble.of(paperBytesPerToken);
  }

  /** The lower-case spelling used in flags, traces and reports ({@code prose}, {@code cjk}). */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Maps a spelling (case-insensitive) to a category.
   *
   * @throws BadInputException when {@code s} names no category
   */
  public static ContentCategory named(String s) {
    for (ContentCategory c : values()) {
      if (c.name().equalsIgnoreCase(s == null ? "" : s.strip())) {
        return c;
      }
    }
    throw new BadInputException("Unknown content category '" + s + "'; expected one of "
        + Arrays.stream(values()).map(ContentCategory::spelling).collect(Collectors.joining(", ")));
  }
}
