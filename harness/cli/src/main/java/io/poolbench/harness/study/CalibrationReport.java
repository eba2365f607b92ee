package io.poolbench.harness.study;

import io.poolbench.harness.study.CalibrationStudy.CategoryResult;
import io.poolbench.harness.study.CalibrationStudy.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link CalibrationStudy.Result} as a text table or as a JSON-ready map. */
public final class CalibrationReport {

  /** Table 5 of arXiv 2604.08075 (paper-notes §2.5): true ratio, ĉ at n=50, relative error. */
  private static final Map<String, double[]> PAPER = Map.of(
      "prose", new double[] {4.48, 4.41, 0.016, 0.003},
      "code", new double[] {3.52, 3.47, 0.014, 0.002},
      "cjk", new double[] {2.01, 2.08, 0.035, 0.008});
  private static final double PAPER_STATIC_MISROUTE = 0.041;

  private CalibrationReport() {}

  /** The human-readable table, with the papers' figures beside ours. */
  public static String text(Result r) {
    StringBuilder b = new StringBuilder();
    CalibrationStudy.Settings s = r.settings();
    b.append(String.format(Locale.US,
        "Calibration study (arXiv 2604.08075 Table 5): seed %d, %d prompts per category, "
            + "B_short %d%n", s.seed(), s.requestsPerCategory(), s.shortBudgetTokens()));
    b.append("corpus: ").append(r.corpus()).append('\n');
    b.append(String.format(Locale.US, "prompt tokens log-normal (median %d, sigma %.2f), "
        + "max_tokens uniform over %s; %.1f%% of requests truly need the long pool%n%n",
        s.promptMedianTokens(), s.promptSigma(), s.maxTokensChoices(), 100 * r.longTrueShare()));
    List<Integer> checkpoints = s.checkpoints();
    b.append(String.format(Locale.US, "%-8s %8s", "category", "true"));
    for (int n : checkpoints) {
      b.append(String.format(Locale.US, " %8s", "n=" + n));
    }
    b.append(String.format(Locale.US, " %8s %8s %8s %8s%n", "err@50", "paper", "paper50",
        "paperErr"));
    for (CategoryResult c : r.categories()) {
      b.append(String.format(Locale.US, "%-8s %8.3f", c.name(), c.trueBytesPerToken()));
      for (int n : checkpoints) {
        b.append(String.format(Locale.US, " %8.3f", c.estimateAt().get(n)));
      }
      Double err50 = c.relativeErrorAt().get(50);
      b.append(String.format(Locale.US, " %7.1f%%", err50 == null ? Double.NaN : 100 * err50));
      double[] paper = PAPER.get(c.name());
      if (paper != null) {
        b.append(String.format(Locale.US, " %8.2f %8.2f %7.1f%%", paper[0], paper[1],
            100 * paper[2]));
      }
      b.append('\n');
    }
    b.append(String.format(Locale.US, "%nmisroute rate (online, every request counted)%n"));
    b.append(String.format(Locale.US, "%-8s", "category"));
    for (String m : CalibrationStudy.METHODS) {
      b.append(String.format(Locale.US, " %16s", m.replace("_bucket_no_margin", "_no_margin")));
    }
    b.append(String.format(Locale.US, " %16s%n", "near B_short"));
    for (CategoryResult c : r.categories()) {
      b.append(String.format(Locale.US, "%-8s", c.name()));
      for (String m : CalibrationStudy.METHODS) {
        b.append(String.format(Locale.US, " %15.2f%%", 100 * c.misrouteRate().get(m)));
      }
      b.append(String.format(Locale.US, " %15.1f%%%n", 100 * c.nearThresholdShare()));
    }
    b.append(String.format(Locale.US, "%-8s", "all"));
    for (String m : CalibrationStudy.METHODS) {
      b.append(String.format(Locale.US, " %15.2f%%", 100 * r.misrouteRate().get(m)));
    }
    b.append('\n');
    b.append(String.format(Locale.US, "%-8s", "overflow"));
    for (String m : CalibrationStudy.METHODS) {
      b.append(String.format(Locale.US, " %15.2f%%", 100 * r.shortOverflowRate().get(m)));
    }
    b.append(String.format(Locale.US, "   (sent short, needed long: a context-length 400)%n"));
    b.append(String.format(Locale.US, "%-8s", "near"));
    for (String m : CalibrationStudy.METHODS) {
      b.append(String.format(Locale.US, " %15.2f%%", 100 * r.nearThresholdMisrouteRate().get(m)));
    }
    b.append(String.format(Locale.US, "   (among requests within 25%% of B_short)%n"));
    b.append(String.format(Locale.US, "paper: static %.1f%%, per-category EMA < 1%% "
        + "(prose 0.3%%, code 0.2%%, CJK 0.8%%)%n", 100 * PAPER_STATIC_MISROUTE));
    return b.toString();
  }

  /**
   * The JSON document: {@code categories} (objects with {@code name},
   * {@code true_bytes_per_token}, {@code estimate_at} keyed by n, {@code relative_error_at_50},
   * and more) and {@code misroute_rate} keyed by method, plus settings and the papers' figures.
   */
  public static Map<String, Object> json(Result r) {
    Map<String, Object> root = new LinkedHashMap<>();
    CalibrationStudy.Settings s = r.settings();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("seed", s.seed());
    settings.put("requests_per_category", s.requestsPerCategory());
    settings.put("b_short_tokens", s.shortBudgetTokens());
    settings.put("prompt_median_tokens", s.promptMedianTokens());
    settings.put("prompt_sigma", s.promptSigma());
    settings.put("max_tokens_choices", s.maxTokensChoices());
    settings.put("corpus", r.corpus());
    root.put("settings", settings);
    List<Map<String, Object>> categories = r.categories().stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("requests", c.requests());
      m.put("true_bytes_per_token", c.trueBytesPerToken());
      m.put("estimate_at", keyed(c.estimateAt()));
      m.put("routing_ratio_at", keyed(c.routingRatioAt()));
      m.put("relative_error_at", keyed(c.relativeErrorAt()));
      m.put("relative_error_at_50", c.relativeErrorAt().get(50));
      m.put("misroute_rate", c.misrouteRate());
      m.put("near_threshold_share", c.nearThresholdShare());
      double[] paper = PAPER.get(c.name());
      if (paper != null) {
        m.put("paper", Map.of("true_bytes_per_token", paper[0], "estimate_at_50", paper[1],
            "relative_error_at_50", paper[2], "misroute_rate", paper[3]));
      }
      return m;
    }).toList();
    root.put("categories", categories);
    root.put("misroute_rate", r.misrouteRate());
    root.put("short_overflow_rate", r.shortOverflowRate());
    root.put("near_threshold_misroute_rate", r.nearThresholdMisrouteRate());
    root.put("long_true_share", r.longTrueShare());
    root.put("paper_misroute_rate", Map.of("static", PAPER_STATIC_MISROUTE, "ema_max", 0.01));
    return root;
  }

  private static Map<String, Double> keyed(Map<Integer, Double> byN) {
    Map<String, Double> out = new LinkedHashMap<>();
    byN.forEach((n, v) -> out.put(Integer.toString(n), v));
    return out;
  }
}
