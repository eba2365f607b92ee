package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;
import static io.poolbench.reports.html.Html.fmt;

import io.poolbench.reports.model.CostComparison;
import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.ValueKind;
import io.poolbench.reports.model.Verdict;
import io.poolbench.reports.rundir.Summary;

/**
 * The paper's closed-form saving α(1 − 1/ρ) (arXiv 2604.09613 §4) next to the saving the runs
 * show: GPUs of each multi-pool run against the one-pool baseline, and goodput per GPU.
 */
final class CostPanel implements Panel {
  @Override
  public String id() {
    return "cost";
  }

  @Override
  public String title() {
    return "Cost";
  }

  @Override
  public String html(Report report) {
    var comparisons = report.costComparisons();
    if (comparisons.isEmpty()) {
      return Panel.missing("No run has two or more pools, so there is no pool split to price. "
          + "Add a two-pool run directory to see α, ρ and the saving.");
    }
    StringBuilder sb = new StringBuilder("<div class=\"table-wrap\"><table class=\"num cost\">"
        + "<thead><tr><th></th>");
    for (CostComparison c : comparisons) {
      sb.append("<th>").append(Panel.runName(c.run().index(), c.run().name()));
      if (c.baseline() != null) {
        sb.append("<div class=\"sub\">vs ").append(esc(c.baseline().name())).append("</div>");
      }
      sb.append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    row(sb, comparisons, "B_short (tokens)", ValueKind.INTEGER,
        c -> c.budgetTokens() == null ? null : c.budgetTokens().doubleValue());
    row(sb, comparisons, "α: requests with prompt + max_tokens ≤ B_short", ValueKind.PERCENT,
        CostComparison::alpha);
    row(sb, comparisons, "requests the router sent to the short pool", ValueKind.PERCENT,
        CostComparison::routedShortShare);
    row(sb, comparisons, "ρ ≈ short / long max_num_seqs", ValueKind.DECIMAL,
        CostComparison::rho);
    row(sb, comparisons, "closed form α(1 − 1/ρ)", ValueKind.PERCENT,
        CostComparison::closedForm);
    row(sb, comparisons, "GPU saving vs baseline (fleet sizes as run)", ValueKind.PERCENT,
        CostComparison::gpuSaving);
    Summary.Slo slo = Verdict.commonSlo(report.runs());
    row(sb, comparisons, "goodput per GPU gain vs baseline (goodput "
        + (slo == null ? "within each run's SLO" : Verdict.goodputSlo(slo)) + ")",
        ValueKind.PERCENT, CostComparison::goodputPerGpuGain);
    row(sb, comparisons, "GPU saving at the baseline's goodput, if goodput per GPU held "
        + "(1 − baseline ÷ this goodput per GPU)", ValueKind.PERCENT,
        CostComparison::goodputGpuSaving);
    row(sb, comparisons, "GPU cost saved, fleet sizes as run ($/year)", ValueKind.MONEY,
        CostComparison::dollarsPerYearSaved);
    row(sb, comparisons, "GPU cost saved at the baseline's goodput ($/year)", ValueKind.MONEY,
        CostComparison::goodputDollarsPerYear);
    sb.append("</tbody></table></div>");
    for (CostComparison c : comparisons) {
      String meaning = meaning(c);
      if (meaning != null) {
        sb.append("<p class=\"meaning\">").append(esc(meaning)).append("</p>");
      }
    }
    if (comparisons.stream().allMatch(c -> c.baseline() == null)) {
      sb.append(Panel.missing("No one-pool run in this report: the GPU saving against a "
          + "homogeneous fleet cannot be computed. Add a --policy single run directory."));
    }
    sb.append("<p class=\"note\">The closed form assumes per-instance throughput scales by ρ and "
        + "the long pool serves like the homogeneous fleet; ρ here is the concurrency ratio "
        + "from run.json, an upper bound on the throughput ratio (the papers measure about 4 "
        + "where concurrency gives 8). The GPU saving compares fleet sizes as run; it is a "
        + "saving only when both runs meet the SLO (see the summary).</p>");
    return sb.toString();
  }

  /**
   * What the saving means for one comparison: with equal GPUs the fleets cannot differ in size,
   * so the gain shows as goodput per GPU, and the sentence turns it into GPUs at equal goodput.
   */
  static String meaning(CostComparison c) {
    if (c.baseline() == null || c.goodputPerGpuGain() == null || c.goodputGpuSaving() == null) {
      return null;
    }
    String who = c.run().name() + " vs " + c.baseline().name() + ": ";
    double gain = c.goodputPerGpuGain();
    double fewer = c.goodputGpuSaving();
    String gpus = fmt("%,d", c.run().run().summary().gpus());
    if (c.sameGpus()) {
      String head = who + "same GPUs (" + gpus + " each), so the GPU saving as run is 0; the "
          + "gain shows as goodput per GPU (" + fmt("%+.1f%%", 100 * gain) + ")";
      if (Math.abs(gain) <= Verdict.SAME) {
        return head + ", within 1%: no difference in GPUs to claim.";
      }
      String text = head + ", i.e. the same traffic would need about "
          + fmt("%.1f%%", 100 * Math.abs(fewer)) + (fewer >= 0 ? " fewer" : " more")
          + " GPUs at that goodput (1 − 1 ÷ (1 + gain)), if goodput per GPU held on a "
          + (fewer >= 0 ? "smaller" : "larger") + " fleet. poolbench compare --sized "
          + "measures that directly by sizing each mode for the SLO.";
      Boolean runMet = Verdict.sloMet(c.run().run().summary());
      Boolean baseMet = Verdict.sloMet(c.baseline().run().summary());
      ModeRun missed = Boolean.FALSE.equals(baseMet) && !Boolean.FALSE.equals(runMet)
          ? c.baseline() : Boolean.FALSE.equals(runMet) && !Boolean.FALSE.equals(baseMet)
          ? c.run() : null;
      if (missed != null) {
        text += " " + missed.name() + " misses the SLO, so part of the difference is requests "
            + "it served too late to count as goodput, not capacity.";
      }
      return text;
    }
    return who + "the fleets differ in size (GPU saving as run "
        + (c.gpuSaving() == null ? "—" : fmt("%.1f%%", 100 * c.gpuSaving()))
        + "); goodput per GPU " + fmt("%+.1f%%", 100 * gain) + ".";
  }

  private static void row(StringBuilder sb, java.util.List<CostComparison> cs, String label,
      ValueKind kind, java.util.function.Function<CostComparison, Double> value) {
    sb.append("<tr><th>").append(esc(label)).append("</th>");
    for (CostComparison c : cs) {
      sb.append("<td>").append(esc(kind.format(value.apply(c)))).append("</td>");
    }
    sb.append("</tr>");
  }
}
