package io.poolbench.harness.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean" for mistyped commands and flags: the candidates closest to what was typed by
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 * and swaps of two neighbouring characters each cost one), plus candidates that what was typed
 * abbreviates.
 */
final class Suggestions {

  /** At most this many names in one suggestion. */
  static final int MAX_SUGGESTIONS = 3;

  private Suggestions() {}

  /**
   * Edit distance between {@code a} and {@code b} where a swap of two adjacent characters counts
   * as one edit (the "optimal string alignment" variant: no substring is edited twice).
   */
  static int distance(String a, String b) {
    int n = a.length();
    int m = b.length();
    // three rows: the one before the previous (for swaps), the previous and the current
    int[] before = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      cur[0] = i;
      char ca = a.charAt(i - 1);
      for (int j = 1; j <= m; j++) {
        char cb = b.charAt(j - 1);
        int cost = ca == cb ? 0 : 1;
        int d = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && ca == b.charAt(j - 2) && a.charAt(i - 2) == cb) {
          d = Math.min(d, before[j - 2] + 1);
        }
        cur[j] = d;
      }
      int[] t = before;
      before = prev;
      prev = cur;
      cur = t;
    }
    return prev[m];
  }

  /**
   * The candidates worth suggesting for {@code typed}, best first (at most
   * {@link #MAX_SUGGESTIONS}): those within a small distance (two fifths of the word's length,
   * at least 1: 1 for 'rat', 2 for 'lodgen', 3 for 'durashun'), the closest first; else those
   * that what was typed abbreviates as a whole or in one of their dash-separated words ('--rat'
   * for '--request-rate'; at least 3 characters), the shortest first. Case is ignored; leading
   * dashes are not counted in the word's length.
   */
  static List<String> closest(String typed, Collection<String> candidates) {
    String t = typed.toLowerCase(Locale.ROOT);
    String core = t.replaceFirst("^-+", "");
    int limit = Math.max(1, core.length() * 2 / 5);
    int best = Integer.MAX_VALUE;
    List<String> near = new ArrayList<>();
    for (String c : candidates) {
      int d = distance(t, c.toLowerCase(Locale.ROOT));
      if (d == 0 || d > limit) {
        continue;
      }
      if (d < best) {
        best = d;
        near.clear();
      }
      if (d == best && !near.contains(c)) {
        near.add(c);
      }
    }
    if (!near.isEmpty()) {
      return near.subList(0, Math.min(MAX_SUGGESTIONS, near.size()));
    }
    List<String> longer = new ArrayList<>();
    if (core.length() >= 3) {
      for (String c : candidates) {
        String lc = c.toLowerCase(Locale.ROOT);
        if (!lc.equals(t) && !longer.contains(c) && abbreviates(core, lc)) {
          longer.add(c);
        }
      }
    }
    longer.sort(Comparator.comparingInt(String::length));
    return longer.subList(0, Math.min(MAX_SUGGESTIONS, longer.size()));
  }

  private static boolean abbreviates(String core, String candidate) {
    for (String word : candidate.replaceFirst("^-+", "").split("-")) {
      if (word.startsWith(core)) {
        return true;
      }
    }
    return candidate.replaceFirst("^-+", "").startsWith(core);
  }

  /** {@code " Did you mean 'a'?"}, {@code " Did you mean 'a' or 'b'?"}, or "" for none. */
  static String didYouMean(List<String> names) {
    if (names.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder(" Did you mean ");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        s.append(i == names.size() - 1 ? " or " : ", ");
      }
      s.append('\'').append(names.get(i)).append('\'');
    }
    return s.append('?').toString();
  }
}
