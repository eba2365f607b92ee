package io.poolbench.harness.mock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text format (0.0.4) for tests. */
final class PromParse {
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})?"
          + " (-?[0-9.eE+-]+|\\+Inf|-Inf|NaN)");
  private static final Pattern LABEL = Pattern.compile(
      "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** Family name → TYPE, and all samples; throws on any malformed line or orphan sample. */
  record Exposition(Map<String, String> types, List<Sample> samples) {}

  static Exposition parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        if (p.length != 4 || !List.of("counter", "gauge", "histogram", "summary", "untyped")
            .contains(p[3])) {
          throw new AssertionError("bad TYPE line: " + line);
        }
        if (types.put(p[2], p[3]) != null) {
          throw new AssertionError("duplicate TYPE for " + p[2]);
        }
        continue;
      }
      if (line.startsWith("# HELP ")) {
        continue;
      }
      if (line.startsWith("#")) {
        throw new AssertionError("unexpected comment: " + line);
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("malformed sample line: " + line);
      }
      Map<String, String> labels = new HashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      String name = m.group(1);
      String family = family(name, types);
      if (family == null) {
        throw new AssertionError("sample without a TYPE: " + line);
      }
      samples.add(new Sample(name, labels, Double.parseDouble(m.group(4).replace("+Inf",
          "Infinity"))));
    }
    return new Exposition(types, samples);
  }

  private static String family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if ("histogram".equals(types.get(base))) {
          return base;
        }
      }
    }
    return null;
  }

  /** The value of the single sample {@code name} whose labels include the given pair(s). */
  static double value(String text, String name, String... labelPairs) {
    List<Sample> hits = parse(text).samples().stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> {
          for (int i = 0; i < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
              return false;
            }
          }
          return true;
        })
        .toList();
    if (hits.size() != 1) {
      throw new AssertionError("expected one sample " + name + " got " + hits.size());
    }
    return hits.get(0).value();
  }
}
