package io.poolbench.reports.html;

import io.poolbench.reports.model.Report;

/** One section of the HTML report: an anchor id, a heading, and its body drawn from a report. */
interface Panel {
  /** The anchor id (ASCII, no spaces). */
  String id();

  /** The heading, also used in the navigation bar. */
  String title();

  /** The section body (escaped HTML). */
  String html(Report report);

  /** A paragraph saying what is missing and why, in the style every panel uses. */
  static String missing(String text) {
    return "<p class=\"missing\">" + Html.esc(text) + "</p>";
  }

  /** A color swatch and the escaped name of run {@code index}. */
  static String runName(int index, String name) {
    return "<span class=\"run-name\"><i class=\"swatch " + Palette.cssClass(index)
        + "\"></i>" + Html.esc(name) + "</span>";
  }
}
