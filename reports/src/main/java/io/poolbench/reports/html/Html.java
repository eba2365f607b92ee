package io.poolbench.reports.html;

import java.util.Locale;

/** HTML escaping and number formatting for the HTML report. */
public final class Html {
  private Html() {}

  /**
   * Escapes {@code s} for element text and double- or single-quoted attribute values: {@code &},
   * {@code <}, {@code >}, {@code "} and {@code '}. Null becomes the empty string.
   */
  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (rep == null && Character.isISOControl(c) && c != '\n' && c != '\t') {
        rep = "&#xFFFD;";
      }
      if (rep != null) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        sb.append(rep);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** A coordinate for SVG: two decimals, Locale.US. */
  static String num(double v) {
    return String.format(Locale.US, "%.2f", v);
  }

  /** A formatted string with Locale.US. */
  static String fmt(String format, Object... args) {
    return String.format(Locale.US, format, args);
  }
}
