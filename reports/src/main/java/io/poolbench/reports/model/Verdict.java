package io.poolbench.reports.model;

import io.poolbench.reports.rundir.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a report concludes, in one sentence per run mode (simulated, live): the routing mode
 * with the most goodput per GPU, its gain over the baseline (the first one-pool run of that run
 * mode, else its first run), and which modes meet the SLO. A run meets the SLO when its P99 TTFT
 * and P99 TPOT are both within the SLO it was run with (summary.json {@code slo}).
 *
 * @param lines the sentences, one per run mode in report order
 */
public record Verdict(List<Line> lines) {

  /** Gains within this fraction are reported as "about the same" (noise, not a difference). */
  public static final double SAME = 0.01;

  /**
   * One run mode's conclusion.
   *
   * @param runMode {@code simulate}, {@code loadgen} or {@code unknown}
   * @param best the run with the most goodput per GPU, or null when none has the figure
   * @param baseline the run the gain is against, or null when the group has one run
   * @param gain goodput per GPU of best over baseline, minus 1; null when unknown
   * @param text the sentence
   */
  public record Line(String runMode, ModeRun best, ModeRun baseline, Double gain, String text) {}

  /** The verdict of {@code report}. */
  static Verdict of(Report report) {
    Map<String, List<ModeRun>> byMode = new LinkedHashMap<>();
    for (ModeRun r : report.runs()) {
      byMode.computeIfAbsent(r.mode(), k -> new ArrayList<>()).add(r);
    }
    boolean prefix = byMode.size() > 1;
    List<Line> lines = new ArrayList<>();
    byMode.forEach((mode, runs) -> lines.add(line(mode, runs, prefix)));
    return new Verdict(List.copyOf(lines));
  }

  /** True when the run meets its SLO, false when it misses it, null when unknown. */
  public static Boolean sloMet(Summary s) {
    if (s.slo() == null || s.ttftMs() == null || s.tpotMs() == null || s.ttftMs().count() == 0
        || s.tpotMs().count() == 0) {
      return null;
    }
    return s.ttftMs().p99() <= s.slo().ttftMs() && s.tpotMs().p99() <= s.slo().tpotMs();
  }

  /** {@code P99 TTFT 2 s / TPOT 80 ms}. */
  public static String slo(Summary.Slo slo) {
    return "P99 TTFT " + duration(slo.ttftMs()) + " / TPOT " + duration(slo.tpotMs());
  }

  /** {@code within TTFT 2 s, TPOT 80 ms}: the per-request test goodput counts. */
  public static String goodputSlo(Summary.Slo slo) {
    return "within TTFT " + duration(slo.ttftMs()) + ", TPOT " + duration(slo.tpotMs());
  }

  /** The SLO every run of {@code runs} used, or null when they differ or one has none. */
  public static Summary.Slo commonSlo(List<ModeRun> runs) {
    Summary.Slo first = null;
    for (ModeRun r : runs) {
      Summary.Slo s = r.run().summary().slo();
      if (s == null || first != null && !s.equals(first)) {
        return null;
      }
      first = s;
    }
    return first;
  }

  /** 2000 → {@code 2 s}, 1500 → {@code 1.5 s}, 80 → {@code 80 ms}, 12.5 → {@code 12.5 ms}. */
  static String duration(double ms) {
    if (ms >= 1000 && Math.rint(ms / 100) * 100 == ms) {
      return trim(ms / 1000) + " s";
    }
    return trim(ms) + " ms";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.format(Locale.US, "%,d", (long) v)
        : String.format(Locale.US, "%.3f", v).replaceFirst("0+$", "");
  }

  private static String runModeName(String mode) {
    return switch (mode) {
      case "simulate" -> "Simulated";
      case "loadgen" -> "Live";
      default -> "Run mode " + mode;
    };
  }

  private static Line line(String mode, List<ModeRun> runs, boolean prefix) {
    StringBuilder sb = new StringBuilder();
    if (prefix) {
      sb.append(runModeName(mode)).append(": ");
    }
    ModeRun baseline = runs.stream().filter(r -> r.run().facts().poolNames().size() == 1)
        .findFirst().orElse(runs.get(0));
    ModeRun best = null;
    for (ModeRun r : runs) {
      Double g = r.run().summary().goodputPerGpu();
      if (g != null && !g.isNaN() && (best == null || g > best.run().summary().goodputPerGpu())) {
        best = r;
      }
    }
    Double gain = null;
    if (runs.size() == 1) {
      ModeRun only = runs.get(0);
      sb.append(name(only));
      Double g = only.run().summary().goodputPerGpu();
      if (g != null) {
        sb.append(String.format(Locale.US, ": %.4f req/s goodput per GPU", g));
      }
      sb.append(", ").append(sloClause(List.of(only), only, true));
      return new Line(mode, best, null, null, sb.toString());
    }
    if (best == null) {
      sb.append("no run has goodput per GPU (summary.json has no GPU count); ")
          .append(sloClause(runs, null, false));
      return new Line(mode, null, baseline, null, sb.toString());
    }
    double b = baseline.run().summary().goodputPerGpu() == null ? Double.NaN
        : baseline.run().summary().goodputPerGpu();
    if (best == baseline) {
      // the baseline leads: say by how much over the next best
      ModeRun next = null;
      for (ModeRun r : runs) {
        Double g = r.run().summary().goodputPerGpu();
        if (r != best && g != null && (next == null
            || g > next.run().summary().goodputPerGpu())) {
          next = r;
        }
      }
      if (next == null) {
        sb.append(name(best)).append(": the only run with goodput per GPU");
      } else {
        double lead = b / next.run().summary().goodputPerGpu() - 1;
        gain = 0.0;
        if (Math.abs(lead) <= SAME) {
          sb.append(name(best)).append(" and ").append(name(next)).append(String.format(
              Locale.US, ": about the same goodput per GPU (%+.1f%%)", 100 * -lead));
        } else {
          sb.append(name(best)).append(String.format(Locale.US,
              ": the most goodput per GPU, %+.1f%% over %s", 100 * lead, name(next)));
        }
      }
    } else if (Double.isNaN(b) || b <= 0) {
      sb.append(name(best)).append(": the most goodput per GPU (").append(name(baseline))
          .append(" has none to compare)");
    } else {
      gain = best.run().summary().goodputPerGpu() / b - 1;
      if (Math.abs(gain) <= SAME) {
        sb.append(name(best)).append(" and ").append(name(baseline)).append(String.format(
            Locale.US, ": about the same goodput per GPU (%+.1f%%)", 100 * gain));
      } else {
        sb.append(name(best)).append(String.format(Locale.US,
            ": %+.1f%% goodput per GPU vs %s", 100 * gain, name(baseline)));
      }
    }
    sb.append(", ").append(sloClause(runs, best, false));
    return new Line(mode, best, baseline, gain, sb.toString());
  }

  /**
   * Which runs meet the SLO: "meets P99 TTFT 2 s / TPOT 80 ms; single does not", "both meet …",
   * "neither meets …", or a list per outcome. {@code lead} is the run named first (it is the
   * subject of "meets"), or null.
   */
  private static String sloClause(List<ModeRun> runs, ModeRun lead, boolean alone) {
    Summary.Slo common = commonSlo(runs);
    List<ModeRun> met = new ArrayList<>();
    List<ModeRun> missed = new ArrayList<>();
    List<ModeRun> unknown = new ArrayList<>();
    for (ModeRun r : runs) {
      Boolean m = sloMet(r.run().summary());
      (m == null ? unknown : m ? met : missed).add(r);
    }
    if (common == null) {
      // different SLOs: each run with its own
      List<String> parts = new ArrayList<>();
      for (ModeRun r : runs) {
        Boolean m = sloMet(r.run().summary());
        Summary.Slo s = r.run().summary().slo();
        parts.add(name(r) + (m == null ? " has no SLO verdict (summary.json has no slo or "
            + "latencies)" : (m ? " meets " : " misses ") + slo(s)));
      }
      return String.join("; ", parts);
    }
    String slo = slo(common);
    if (alone) {
      ModeRun r = runs.get(0);
      Boolean m = sloMet(r.run().summary());
      return m == null ? "no SLO verdict (no TTFT or TPOT figures)"
          : m ? "meets " + slo : "misses " + slo + " (" + miss(r.run().summary()) + ")";
    }
    if (unknown.isEmpty() && missed.isEmpty()) {
      return (runs.size() == 2 ? "both meet " : "all meet ") + slo;
    }
    if (unknown.isEmpty() && met.isEmpty()) {
      return (runs.size() == 2 ? "neither meets " : "none meets ") + slo;
    }
    StringBuilder sb = new StringBuilder();
    if (lead != null && met.contains(lead)) {
      sb.append("meets ").append(slo);
      List<ModeRun> otherMet = new ArrayList<>(met);
      otherMet.remove(lead);
      if (!otherMet.isEmpty()) {
        sb.append(" (as does ").append(labels(otherMet)).append(')');
      }
      if (!missed.isEmpty()) {
        sb.append("; ").append(labels(missed)).append(missed.size() == 1 ? " does not"
            : " do not");
      }
    } else if (lead != null && missed.contains(lead)) {
      sb.append("but misses ").append(slo).append(" (").append(miss(lead.run().summary()))
          .append(')');
      if (!met.isEmpty()) {
        sb.append("; ").append(labels(met)).append(met.size() == 1 ? " meets it" : " meet it");
      }
      List<ModeRun> otherMissed = new ArrayList<>(missed);
      otherMissed.remove(lead);
      if (!otherMissed.isEmpty()) {
        sb.append("; ").append(labels(otherMissed)).append(otherMissed.size() == 1
            ? " misses it too" : " miss it too");
      }
    } else {
      sb.append(slo).append(": ");
      List<String> parts = new ArrayList<>();
      if (!met.isEmpty()) {
        parts.add("met by " + labels(met));
      }
      if (!missed.isEmpty()) {
        parts.add("missed by " + labels(missed));
      }
      sb.append(String.join(", ", parts));
    }
    if (!unknown.isEmpty()) {
      sb.append("; no SLO verdict for ").append(labels(unknown))
          .append(" (no TTFT or TPOT figures)");
    }
    return sb.toString();
  }

  /** What missed: {@code TTFT p99 2.9 s}, {@code TPOT p99 95 ms}, or both. */
  private static String miss(Summary s) {
    List<String> parts = new ArrayList<>();
    if (s.ttftMs().p99() > s.slo().ttftMs()) {
      parts.add("TTFT p99 " + ValueKind.MILLIS.format(s.ttftMs().p99()) + " ms");
    }
    if (s.tpotMs().p99() > s.slo().tpotMs()) {
      parts.add("TPOT p99 " + ValueKind.MILLIS.format(s.tpotMs().p99()) + " ms");
    }
    return String.join(", ", parts);
  }

  private static String labels(List<ModeRun> runs) {
    List<String> l = runs.stream().map(Verdict::name).toList();
    if (l.size() <= 2) {
      return String.join(" and ", l);
    }
    return String.join(", ", l.subList(0, l.size() - 1)) + " and " + l.get(l.size() - 1);
  }

  /** A run's name without the run-mode suffix: the line already says the run mode. */
  static String name(ModeRun r) {
    return r.name().replace(" · " + r.mode(), "");
  }

  /** The sentences joined by newlines. */
  public String text() {
    return String.join("\n", lines.stream().map(Line::text).toList());
  }
}
