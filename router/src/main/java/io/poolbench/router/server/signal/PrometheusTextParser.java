package io.poolbench.router.server.signal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Parses the Prometheus text exposition format, version 0.0.4 (the format vLLM's {@code /metrics}
 * serves): {@code # HELP} and {@code # TYPE} lines are checked, other comments and blank lines
 * skipped, and each sample line is {@code name[{label="value",…}] value [timestamp]} (blanks
 * allowed between the parts, as Prometheus's own parser allows them) with label
 * values unescaped ({@code \\}, {@code \"}, {@code \n}), values as Go's {@code ParseFloat} reads
 * them ({@code NaN}, {@code +Inf}, {@code -Inf}, decimals and exponents) and an optional integer
 * millisecond timestamp. Anything else is a {@link PrometheusFormatException} naming the line.
 * Stateless and thread-safe.
 */
public final class PrometheusTextParser {

  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private PrometheusTextParser() {}

  /** Every sample of {@code text}. */
  public static List<MetricSample> parse(String text) {
    return parse(text, name -> true);
  }

  /**
   * The samples of {@code text} whose metric name {@code wanted} accepts; every line is still
   * checked, so a broken page fails whatever is wanted.
   */
  public static List<MetricSample> parse(String text, Predicate<String> wanted) {
    List<MetricSample> out = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    int n = text.length();
    while (start < n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      lineNumber++;
      int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      new Line(text, start, stop, lineNumber).parseInto(out, wanted);
      start = end + 1;
    }
    return out;
  }

  /** A cursor over one line. */
  private static final class Line {
    private final String s;
    private final int end;
    private final int number;
    private int i;

    Line(String s, int start, int end, int number) {
      this.s = s;
      this.i = start;
      this.end = end;
      this.number = number;
    }

    void parseInto(List<MetricSample> out, Predicate<String> wanted) {
      skipBlanks();
      if (i == end) {
        return;
      }
      if (s.charAt(i) == '#') {
        comment();
        return;
      }
      String name = metricName();
      Map<String, String> labels = Map.of();
      boolean keep = wanted.test(name);
      skipBlanks();
      if (i < end && s.charAt(i) == '{') {
        labels = labels(keep);
        skipBlanks();
      } else if (i < end && !blank(s.charAt(i - 1))) {
        throw error("unexpected '" + s.charAt(i) + "' in metric name '" + name + "'");
      }
      if (i == end) {
        throw error("expected a value after '" + name + "'");
      }
      double value = value(token());
      long timestamp = MetricSample.NO_TIMESTAMP;
      skipBlanks();
      if (i < end) {
        timestamp = timestamp(token());
        skipBlanks();
        if (i < end) {
          throw error("unexpected text after the timestamp: '" + s.substring(i, end) + "'");
        }
      }
      if (keep) {
        out.add(new MetricSample(name, labels, value, timestamp));
      }
    }

    private void comment() {
      i++;
      skipBlanks();
      int wordStart = i;
      while (i < end && !blank(s.charAt(i))) {
        i++;
      }
      String keyword = s.substring(wordStart, i);
      if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
        return; // a plain comment
      }
      skipBlanks();
      if (i == end) {
        throw error("# " + keyword + " without a metric name");
      }
      metricName();
      if (keyword.equals("TYPE")) {
        skipBlanks();
        String type = token();
        if (!TYPES.contains(type)) {
          throw error("unknown metric type '" + type + "' (expected one of counter, gauge, "
              + "histogram, summary, untyped)");
        }
        skipBlanks();
        if (i < end) {
          throw error("unexpected text after the type: '" + s.substring(i, end) + "'");
        }
      }
    }

    private String metricName() {
      int from = i;
      while (i < end && nameChar(s.charAt(i), i == from, true)) {
        i++;
      }
      if (i == from) {
        throw error("expected a metric name at '" + s.substring(from, end) + "'");
      }
      return s.substring(from, i);
    }

    private Map<String, String> labels(boolean keep) {
      i++; // '{'
      Map<String, String> labels = keep ? new HashMap<>() : null;
      skipBlanks();
      while (true) {
        if (i < end && s.charAt(i) == '}') {
          i++;
          return labels == null ? Map.of() : labels;
        }
        int from = i;
        while (i < end && nameChar(s.charAt(i), i == from, false)) {
          i++;
        }
        if (i == from) {
          throw error("expected a label name or '}' at '" + s.substring(from, end) + "'");
        }
        String label = s.substring(from, i);
        skipBlanks();
        if (i == end || s.charAt(i) != '=') {
          throw error("expected '=' after label '" + label + "'");
        }
        i++;
        skipBlanks();
        if (i == end || s.charAt(i) != '"') {
          throw error("expected '\"' to open the value of label '" + label + "'");
        }
        String value = quoted(label);
        if (labels != null && labels.put(label, value) != null) {
          throw error("label '" + label + "' appears twice");
        }
        skipBlanks();
        if (i < end && s.charAt(i) == ',') {
          i++;
          skipBlanks();
        } else if (i == end || s.charAt(i) != '}') {
          throw error("expected ',' or '}' after the value of label '" + label + "'");
        }
      }
    }

    private String quoted(String label) {
      i++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (i < end) {
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i == end) {
          break;
        }
        char e = s.charAt(i++);
        switch (e) {
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          case 'n' -> sb.append('\n');
          default -> throw error("bad escape '\\" + e + "' in the value of label '" + label
              + "' (expected \\\\, \\\" or \\n)");
        }
      }
      throw error("the value of label '" + label + "' is not closed");
    }

    private String token() {
      int from = i;
      while (i < end && !blank(s.charAt(i))) {
        i++;
      }
      return s.substring(from, i);
    }

    private double value(String t) {
      switch (t.toLowerCase(Locale.ROOT)) {
        case "nan" -> {
          return Double.NaN;
        }
        case "+inf", "inf" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-inf" -> {
          return Double.NEGATIVE_INFINITY;
        }
        default -> {
          // Double.parseDouble also takes "1d", "0x1p3" and "Infinity": only plain decimals pass
          if (!t.isEmpty() && decimal(t)) {
            try {
              return Double.parseDouble(t);
            } catch (NumberFormatException e) {
              // reported below
            }
          }
          throw error("'" + t + "' is not a sample value (a number, NaN, +Inf or -Inf)");
        }
      }
    }

    private long timestamp(String t) {
      try {
        if (!t.isEmpty() && t.charAt(0) != '+') {
          return Long.parseLong(t);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error("'" + t + "' is not a timestamp (integer milliseconds)");
    }

    private static boolean decimal(String t) {
      for (int k = 0; k < t.length(); k++) {
        char c = t.charAt(k);
        if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+'
            || c == '-')) {
          return false;
        }
      }
      return true;
    }

    private static boolean nameChar(char c, boolean first, boolean colonAllowed) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
          || colonAllowed && c == ':' || !first && c >= '0' && c <= '9';
    }

    private static boolean blank(char c) {
      return c == ' ' || c == '\t';
    }

    private void skipBlanks() {
      while (i < end && blank(s.charAt(i))) {
        i++;
      }
    }

    private PrometheusFormatException error(String message) {
      return new PrometheusFormatException(number, message);
    }
  }
}
