package io.poolbench.harness.cli;

import io.poolbench.traces.stats.TokenSummary;
import io.poolbench.traces.stats.TraceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders {@link TraceStats} as the aligned text tables {@code trace stats} prints. */
final class TraceStatsTable {

  private TraceStatsTable() {}

  static String render(String name, TraceStats s) {
    StringBuilder out = new StringBuilder();
    List<String[]> facts = new ArrayList<>();
    facts.add(new String[] {"trace", name});
    facts.add(new String[] {"rows", String.format(Locale.US, "%,d", s.rows())});
    facts.add(new String[] {"skipped rows", String.format(Locale.US, "%,d", s.skippedRows())});
    facts.add(new String[] {"time span", String.format(Locale.US, "%,.1f s (%,.1f min)",
        s.spanSeconds(), s.spanSeconds() / 60)});
    facts.add(new String[] {"mean rate", rate(s.meanRateRps(), "%,.3f req/s")});
    facts.add(new String[] {"peak rate, 1-s windows", String.format(Locale.US,
        "%,.0f req/s (%,d requests in one second)", s.peakRate1s(), s.peakCount1s())});
    facts.add(new String[] {"peak rate, 60-s windows", String.format(Locale.US,
        "%,.2f req/s (%,d requests in one minute)", s.peakRate60s(), s.peakCount60s())});
    facts.add(new String[] {"inter-arrival CV", rate(s.interarrivalCv(), "%.2f")});
    int width = facts.stream().mapToInt(f -> f[0].length()).max().orElse(0);
    for (String[] fact : facts) {
      out.append(String.format(Locale.US, "%-" + width + "s  %s%n", fact[0], fact[1]));
    }
    out.append(System.lineSeparator());

    List<String[]> tokens = new ArrayList<>();
    tokens.add(new String[] {"tokens", "mean", "p50", "p90", "p99", "max"});
    tokens.add(row("prompt", s.promptTokens()));
    tokens.add(row("output", s.outputTokens()));
    tokens.add(row("prompt + output", s.totalTokens()));
    table(out, tokens);
    out.append(System.lineSeparator());

    List<String> header = new ArrayList<>(List.of("prompt + output <="));
    List<String> values = new ArrayList<>(List.of("fraction of requests"));
    for (Map.Entry<Integer, Double> e : s.fractionTotalLe().entrySet()) {
      int t = e.getKey();
      header.add(t % 1024 == 0 ? (t / 1024) + "K" : String.format(Locale.US, "%,d", t));
      values.add(String.format(Locale.US, "%.2f%%", 100 * e.getValue()));
    }
    table(out, List.of(header.toArray(String[]::new), values.toArray(String[]::new)));
    if (s.prefixReuse() != null) {
      out.append(System.lineSeparator());
      List<String[]> reuse = new ArrayList<>();
      reuse.add(new String[] {"prefix reuse (512-token hash ids)", "requests", "blocks",
          "seen before", "share"});
      reuse.add(reuseRow("all", s.prefixReuse()));
      if (s.prefixReuseByCategory().size() > 1) {
        s.prefixReuseByCategory().forEach((k, v) -> reuse.add(reuseRow(k, v)));
      }
      table(out, reuse);
    }
    return out.toString();
  }

  private static String[] reuseRow(String label, TraceStats.PrefixReuse r) {
    return new String[] {label, count(r.requests()), count(r.blocks()), count(r.reused()),
        String.format(Locale.US, "%.1f%%", 100 * r.share())};
  }

  private static String[] row(String label, TokenSummary t) {
    return new String[] {label, String.format(Locale.US, "%,.1f", t.mean()), count(t.p50()),
        count(t.p90()), count(t.p99()), count(t.max())};
  }

  private static String count(long value) {
    return String.format(Locale.US, "%,d", value);
  }

  private static String rate(double value, String format) {
    return Double.isFinite(value) ? String.format(Locale.US, format, value) : "n/a";
  }

  /** First column left-aligned, the others right-aligned, two spaces apart. */
  private static void table(StringBuilder out, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] r : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], r[c].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder(String.format("%-" + widths[0] + "s", r[0]));
      for (int c = 1; c < columns; c++) {
        line.append("  ").append(String.format("%" + widths[c] + "s", r[c]));
      }
      out.append(line).append(System.lineSeparator());
    }
  }
}
