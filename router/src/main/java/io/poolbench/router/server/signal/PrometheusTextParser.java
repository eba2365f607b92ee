package io.poolbench.router.server.signal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the Prometheus text exposition format, version 0.0.4 (the format vLLM's {@code /metrics}
 * serves): {@code # HELP} and {@code # TYPE} lines are checked, other comments and blank lines
 * skipped, and each sample line is {@code name[{label="value",…}] value [timestamp]} (blanks
 * allowed between the parts, as Prometheus's own parser allows them) with label values unescaped
 * ({@code \\}, {@code \"}, {@code \n}), values as Go's {@code ParseFloat} reads them ({@code NaN},
 * {@code +Inf}, {@code -Inf}, decimals with exponents) and an optional integer millisecond
 * timestamp. Anything else is a {@link PrometheusFormatException} naming the line.
 *
 * <p>Lines whose metric is not wanted are checked in place without allocating, so reading a few
 * gauges from a large page costs one pass and the wanted samples. Stateless and thread-safe.
 */
public final class PrometheusTextParser {

  private static final String[] TYPES = {"counter", "gauge", "histogram", "summary", "untyped"};

  private PrometheusTextParser() {}

  /** Every sample of {@code text}. */
  public static List<MetricSample> parse(String text) {
    return parse(text, null);
  }

  /**
   * The samples of {@code text} whose metric name is in {@code wanted} (null: all); every line is
   * still checked, so a broken page fails whatever is wanted.
   */
  public static List<MetricSample> parse(String text, Set<String> wanted) {
    List<MetricSample> out = new ArrayList<>();
    String[] names = wanted == null ? null : wanted.toArray(String[]::new);
    Cursor c = new Cursor(text);
    int start = 0;
    int n = text.length();
    while (start < n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      c.line(start, stop);
      c.parseInto(out, names);
      start = end + 1;
    }
    return out;
  }

  /** A cursor over the current line. */
  private static final class Cursor {
    private final String s;
    private int end;
    private int number;
    private int i;

    Cursor(String s) {
      this.s = s;
    }

    void line(int start, int stop) {
      i = start;
      end = stop;
      number++;
    }

    void parseInto(List<MetricSample> out, String[] wanted) {
      skipBlanks();
      if (i == end) {
        return;
      }
      if (s.charAt(i) == '#') {
        comment();
        return;
      }
      int nameFrom = i;
      int nameTo = metricName();
      boolean keep = wanted == null || in(wanted, nameFrom, nameTo);
      Map<String, String> labels = Map.of();
      skipBlanks();
      if (i < end && s.charAt(i) == '{') {
        labels = labels(keep);
        skipBlanks();
      } else if (i < end && !blank(s.charAt(i - 1))) {
        throw error("unexpected '" + s.charAt(i) + "' in metric name '"
            + s.substring(nameFrom, nameTo) + "'");
      }
      if (i == end) {
        throw error("expected a value after '" + s.substring(nameFrom, nameTo) + "'");
      }
      int valueFrom = i;
      int valueTo = token();
      double value = value(valueFrom, valueTo, keep);
      long timestamp = MetricSample.NO_TIMESTAMP;
      skipBlanks();
      if (i < end) {
        int tsFrom = i;
        timestamp = timestamp(tsFrom, token());
        skipBlanks();
        if (i < end) {
          throw error("unexpected text after the timestamp: '" + s.substring(i, end) + "'");
        }
      }
      if (keep) {
        out.add(new MetricSample(s.substring(nameFrom, nameTo), labels, value, timestamp));
      }
    }

    private boolean in(String[] names, int from, int to) {
      for (String n : names) {
        if (n.length() == to - from && s.startsWith(n, from)) {
          return true;
        }
      }
      return false;
    }

    private void comment() {
      i++;
      skipBlanks();
      int wordFrom = i;
      int wordTo = token();
      boolean help = word(wordFrom, wordTo, "HELP");
      boolean type = word(wordFrom, wordTo, "TYPE");
      if (!help && !type) {
        return; // a plain comment
      }
      skipBlanks();
      if (i == end) {
        throw error("# " + (help ? "HELP" : "TYPE") + " without a metric name");
      }
      metricName();
      if (type) {
        skipBlanks();
        int typeFrom = i;
        int typeTo = token();
        boolean known = false;
        for (String t : TYPES) {
          known |= word(typeFrom, typeTo, t);
        }
        if (!known) {
          throw error("unknown metric type '" + s.substring(typeFrom, typeTo) + "' (expected one "
              + "of counter, gauge, histogram, summary, untyped)");
        }
        skipBlanks();
        if (i < end) {
          throw error("unexpected text after the type: '" + s.substring(i, end) + "'");
        }
      }
    }

    private boolean word(int from, int to, String w) {
      return to - from == w.length() && s.startsWith(w, from);
    }

    /** Reads a metric name; returns its end. */
    private int metricName() {
      int from = i;
      while (i < end && nameChar(s.charAt(i), i == from, true)) {
        i++;
      }
      if (i == from) {
        throw error("expected a metric name at '" + s.substring(from, end) + "'");
      }
      return i;
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
        int to = i;
        skipBlanks();
        if (i == end || s.charAt(i) != '=') {
          throw error("expected '=' after label '" + s.substring(from, to) + "'");
        }
        i++;
        skipBlanks();
        if (i == end || s.charAt(i) != '"') {
          throw error("expected '\"' to open the value of label '" + s.substring(from, to) + "'");
        }
        if (labels != null) {
          String label = s.substring(from, to);
          if (labels.put(label, quoted(from, to, true)) != null) {
            throw error("label '" + label + "' appears twice");
          }
        } else {
          quoted(from, to, false);
        }
        skipBlanks();
        if (i < end && s.charAt(i) == ',') {
          i++;
          skipBlanks();
        } else if (i == end || s.charAt(i) != '}') {
          throw error("expected ',' or '}' after the value of label '" + s.substring(from, to)
              + "'");
        }
      }
    }

    /** Reads a quoted label value; returns it unescaped when {@code keep}, else null. */
    private String quoted(int labelFrom, int labelTo, boolean keep) {
      i++; // opening quote
      StringBuilder sb = keep ? new StringBuilder() : null;
      while (i < end) {
        char c = s.charAt(i++);
        if (c == '"') {
          return keep ? sb.toString() : null;
        }
        if (c != '\\') {
          if (keep) {
            sb.append(c);
          }
          continue;
        }
        if (i == end) {
          break;
        }
        char e = s.charAt(i++);
        char unescaped = switch (e) {
          case '\\' -> '\\';
          case '"' -> '"';
          case 'n' -> '\n';
          default -> throw error("bad escape '\\" + e + "' in the value of label '"
              + s.substring(labelFrom, labelTo) + "' (expected \\\\, \\\" or \\n)");
        };
        if (keep) {
          sb.append(unescaped);
        }
      }
      throw error("the value of label '" + s.substring(labelFrom, labelTo) + "' is not closed");
    }

    /** Skips to the next blank or the line's end; returns that position. */
    private int token() {
      while (i < end && !blank(s.charAt(i))) {
        i++;
      }
      return i;
    }

    private double value(int from, int to, boolean keep) {
      if (wordIgnoringCase(from, to, "nan")) {
        return Double.NaN;
      }
      if (wordIgnoringCase(from, to, "+inf") || wordIgnoringCase(from, to, "inf")) {
        return Double.POSITIVE_INFINITY;
      }
      if (wordIgnoringCase(from, to, "-inf")) {
        return Double.NEGATIVE_INFINITY;
      }
      // Double.parseDouble also takes "1d", "0x1p3" and "Infinity": only plain decimals pass
      if (!decimal(from, to)) {
        throw error("'" + s.substring(from, to) + "' is not a sample value (a number, NaN, "
            + "+Inf or -Inf)");
      }
      return keep ? Double.parseDouble(s.substring(from, to)) : 0;
    }

    private boolean wordIgnoringCase(int from, int to, String w) {
      return to - from == w.length() && s.regionMatches(true, from, w, 0, w.length());
    }

    /** {@code [+-]? digits [. digits] [(e|E) [+-]? digits]}, at least one mantissa digit. */
    private boolean decimal(int from, int to) {
      int k = from;
      if (k < to && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
        k++;
      }
      int digits = 0;
      while (k < to && digit(s.charAt(k))) {
        k++;
        digits++;
      }
      if (k < to && s.charAt(k) == '.') {
        k++;
        while (k < to && digit(s.charAt(k))) {
          k++;
          digits++;
        }
      }
      if (digits == 0) {
        return false;
      }
      if (k < to && (s.charAt(k) == 'e' || s.charAt(k) == 'E')) {
        k++;
        if (k < to && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
          k++;
        }
        int exponent = 0;
        while (k < to && digit(s.charAt(k))) {
          k++;
          exponent++;
        }
        if (exponent == 0) {
          return false;
        }
      }
      return k == to;
    }

    private long timestamp(int from, int to) {
      int k = from < to && s.charAt(from) == '-' ? from + 1 : from;
      long v = 0;
      boolean ok = k < to && to - k <= 18;
      for (; ok && k < to; k++) {
        char c = s.charAt(k);
        ok = digit(c);
        v = v * 10 + (c - '0');
      }
      if (!ok) {
        throw error("'" + s.substring(from, to) + "' is not a timestamp (integer milliseconds)");
      }
      return s.charAt(from) == '-' ? -v : v;
    }

    private static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean nameChar(char c, boolean first, boolean colonAllowed) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
          || colonAllowed && c == ':' || !first && digit(c);
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
