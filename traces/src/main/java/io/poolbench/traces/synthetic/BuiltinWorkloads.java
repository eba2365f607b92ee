package io.poolbench.traces.synthetic;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Durations;
import io.poolbench.traces.TraceSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code builtin:} sources. A spec is a workload name with optional parameters in query
 * form: {@code azure-conv}, {@code long-mix?long-share=0.2&rate=50&duration=10m&seed=7}.
 */
public final class BuiltinWorkloads {

  /** The parameter keys a spec accepts. */
  public static final List<String> PARAMETER_KEYS = List.of("rate", "duration", "seed", "long-share");

  private BuiltinWorkloads() {}

  /** The names accepted after {@code builtin:}. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(
        Arrays.stream(BuiltinWorkload.values()).map(BuiltinWorkload::spelling).toList());
    names.addAll(PrefixWorkloads.NAMES);
    return names;
  }

  /** Opens a spec (the text after {@code builtin:}). */
  public static TraceSource open(String spec) {
    int q = spec.indexOf('?');
    String name = q < 0 ? spec : spec.substring(0, q);
    if (PrefixWorkloads.serves(name)) {
      Map<String, String> given = new LinkedHashMap<>();
      if (q >= 0 && q + 1 < spec.length()) {
        for (String pair : spec.substring(q + 1).split("&")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new BadInputException("Bad parameter '" + pair + "' in builtin:" + spec
                + ": expected key=value");
          }
          given.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
      }
      return PrefixWorkloads.open(name, given, spec);
    }
    BuiltinWorkload workload = BuiltinWorkload.named(q < 0 ? spec : spec.substring(0, q));
    WorkloadParams defaults = workload.defaults();
    double rate = defaults.ratePerSecond();
    Duration duration = defaults.duration();
    long seed = defaults.seed();
    double longShare = defaults.longShare();
    if (q >= 0 && q + 1 < spec.length()) {
      for (String pair : spec.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new BadInputException("Bad parameter '" + pair + "' in builtin:" + spec
              + ": expected key=value with key one of " + PARAMETER_KEYS);
        }
        String key = pair.substring(0, eq).strip();
        String value = pair.substring(eq + 1).strip();
        switch (key) {
          case "rate" -> rate = positive(key, value, spec);
          case "duration" -> duration = Durations.parse(value);
          case "seed" -> seed = longValue(key, value, spec);
          case "long-share" -> longShare = fraction(key, value, spec);
          default -> throw new BadInputException("Unknown parameter '" + key + "' in builtin:"
              + spec + ": expected one of " + PARAMETER_KEYS);
        }
      }
    }
    return create(workload, rate, duration, seed, longShare);
  }

  /** A workload with explicit parameters (what {@code trace synth} uses). */
  public static SyntheticTraceSource create(
      BuiltinWorkload workload, double ratePerSecond, Duration duration, long seed, double longShare) {
    try {
      return new SyntheticTraceSource(workload, new WorkloadParams(ratePerSecond, duration, seed, longShare));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("builtin:" + workload.spelling() + ": " + e.getMessage(), e);
    }
  }

  private static double positive(String key, String value, String spec) {
    double v = number(key, value, spec);
    if (!(v > 0)) {
      throw new BadInputException("Bad " + key + " '" + value + "' in builtin:" + spec
          + ": expected a number > 0");
    }
    return v;
  }

  private static double fraction(String key, String value, String spec) {
    double v = number(key, value, spec);
    if (!(v >= 0 && v <= 1)) {
      throw new BadInputException("Bad " + key + " '" + value + "' in builtin:" + spec
          + ": expected a fraction between 0 and 1");
    }
    return v;
  }

  private static double number(String key, String value, String spec) {
    try {
      double v = Double.parseDouble(value.replace("_", ""));
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new BadInputException("Bad " + key + " '" + value + "' in builtin:" + spec + ": expected a number");
  }

  private static long longValue(String key, String value, String spec) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new BadInputException("Bad " + key + " '" + value + "' in builtin:" + spec + ": expected an integer");
    }
  }
}
