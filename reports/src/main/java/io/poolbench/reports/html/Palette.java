package io.poolbench.reports.html;

/**
 * One color per run, by report position, so a run keeps its color in every panel. The colors are
 * the Okabe–Ito palette (distinguishable with common color-vision deficiencies), darkened where
 * the original is too light on white.
 */
final class Palette {
  private static final String[] COLORS = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#000000", "#E69F00"
  };
  private static final String[] DASHES = {"", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"};

  private Palette() {}

  static String color(int index) {
    return COLORS[Math.floorMod(index, COLORS.length)];
  }

  /** The stylesheet class that gives a swatch run {@code index}'s color (report.css c0…c7). */
  static String cssClass(int index) {
    return "c" + Math.floorMod(index, COLORS.length);
  }

  /** A dash pattern for the {@code index}th sub-series of a run (pools, categories). */
  static String dash(int index) {
    return DASHES[Math.floorMod(index, DASHES.length)];
  }
}
