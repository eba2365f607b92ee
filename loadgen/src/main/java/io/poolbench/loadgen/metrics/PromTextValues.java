package io.poolbench.loadgen.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads chosen sample values out of a Prometheus text exposition (format 0.0.4), summing each
 * metric over its label sets. Only what the load generator needs: comments, label values with
 * escaped quotes and braces, optional timestamps; malformed lines are skipped.
 */
public final class PromTextValues {

  private PromTextValues() {}

  /**
   * The sum over label sets of every sample named in {@code names}; names with no sample are
   * absent from the result.
   */
  public static Map<String, Double> sums(String text, Set<String> names) {
    Map<String, Double> sums = new HashMap<>();
    int pos = 0;
    int length = text.length();
    while (pos < length) {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        end = length;
      }
      sample(text, pos, end, names, sums);
      pos = end + 1;
    }
    return sums;
  }

  private static void sample(String text, int from, int to, Set<String> names,
      Map<String, Double> sums) {
    int i = from;
    while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    if (i >= to || text.charAt(i) == '#') {
      return;
    }
    int nameStart = i;
    while (i < to && text.charAt(i) != '{' && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
      i++;
    }
    String name = text.substring(nameStart, i);
    if (!names.contains(name)) {
      return;
    }
    if (i < to && text.charAt(i) == '{') {
      i = skipLabels(text, i + 1, to);
      if (i < 0) {
        return;
      }
    }
    while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    int valueStart = i;
    while (i < to && text.charAt(i) != ' ' && text.charAt(i) != '\t' && text.charAt(i) != '\r') {
      i++;
    }
    double value;
    try {
      value = parse(text.substring(valueStart, i));
    } catch (NumberFormatException e) {
      return;
    }
    sums.merge(name, value, Double::sum);
  }

  /** The index after the closing brace of a label set starting at {@code i}, or -1. */
  private static int skipLabels(String text, int i, int to) {
    boolean quoted = false;
    while (i < to) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '}') {
        return i + 1;
      }
      i++;
    }
    return -1;
  }

  private static double parse(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }
}
