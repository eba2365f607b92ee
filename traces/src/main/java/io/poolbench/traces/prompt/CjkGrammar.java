package io.poolbench.traces.prompt;

import java.util.ArrayList;
import java.util.List;

/**
 * Chinese text. A piece is one clause: a full-width punctuation mark followed by ideographs. The
 * pre-tokenizers start a new chunk at a non-letter followed by letters, so every clause is its own
 * chunk (its token count, measured once, is exact in any context). Clauses mix frequent
 * characters with rarer ones from the CJK Unified Ideographs block, which a byte-level BPE
 * spends two or three tokens on: that mix sets the bytes-per-token ratio.
 */
record CjkGrammar() implements Grammar {

  private static final char[] COMMON = WordLists.CJK_COMMON.chars()
      .filter(Character::isIdeographic).distinct()
      .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
      .toString().toCharArray();
  private static final int RARE_FIRST = 0x4E00;
  private static final int RARE_LAST = 0x9FA5;

  @Override
  public String piece(SplitMix rng) {
    double rareShare = rng.nextDouble() * 0.7;
    int chars = 3 + rng.nextInt(14);
    double mark = rng.nextDouble();
    StringBuilder sb = new StringBuilder(chars + 1)
        .append(mark < 0.62 ? '，' : mark < 0.92 ? '。' : mark < 0.97 ? '、' : '；');
    for (int i = 0; i < chars; i++) {
      sb.append(rng.chance(rareShare)
          ? (char) (RARE_FIRST + rng.nextInt(RARE_LAST - RARE_FIRST + 1))
          : COMMON[rng.nextInt(COMMON.length)]);
    }
    return sb.toString();
  }

  @Override
  public List<String> fillers() {
    List<String> fillers = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      fillers.add("，" + COMMON[i]);
      fillers.add("。" + COMMON[i]);
    }
    return fillers;
  }

  @Override
  public String opener(long id, boolean atTextStart) {
    StringBuilder sb = new StringBuilder(2 * OPENER_WORDS + 1);
    if (!atTextStart) {
      sb.append('。');
    }
    for (int i = 0; i < OPENER_WORDS; i++) {
      int b = (int) (id >>> (8 * i)) & 0xFF;
      sb.append(COMMON[b >>> 4]).append(COMMON[16 + (b & 15)]);
    }
    return sb.toString();
  }
}
