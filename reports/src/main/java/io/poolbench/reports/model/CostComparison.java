package io.poolbench.reports.model;

import io.poolbench.reports.rundir.Summary;
import java.util.List;

/**
 * The paper's cost model for one multi-pool run (arXiv 2604.09613 §4: savings = α(1 − 1/ρ))
 * next to what the runs show. α is the fraction of requests whose prompt + max_tokens fits the
 * short-pool budget B_short (from requests.csv.gz); ρ is approximated by the short pool's
 * concurrency over the long pool's ({@code max_num_seqs}, from run.json), an upper bound on the
 * per-instance throughput ratio. Every field is null when its inputs are missing.
 *
 * @param run the multi-pool run
 * @param baseline the one-pool run it is compared against, or null
 * @param budgetTokens B_short in tokens
 * @param alpha fraction of requests within B_short
 * @param routedShortShare fraction of requests the router sent to the short pool
 * @param rho short-pool over long-pool max_num_seqs
 * @param closedForm α(1 − 1/ρ)
 * @param gpuSaving 1 − GPUs(run) / GPUs(baseline)
 * @param goodputPerGpuGain goodput per GPU of the run over the baseline's, minus 1
 * @param dollarsPerYearSaved (GPUs(baseline) − GPUs(run)) × price × 8,760 h
 * @param goodputGpuSaving 1 − goodput per GPU(baseline) ÷ goodput per GPU(run), i.e. gain ÷
 *     (1 + gain): the share of GPUs the baseline's goodput would need fewer at the run's goodput
 *     per GPU. An extrapolation: it assumes goodput per GPU holds on a smaller fleet, which only
 *     a sized comparison ({@code compare --sized}) checks
 * @param goodputDollarsPerYear goodputGpuSaving × GPUs(baseline) × price × 8,760 h
 */
public record CostComparison(ModeRun run, ModeRun baseline, Integer budgetTokens, Double alpha,
    Double routedShortShare, Double rho, Double closedForm, Double gpuSaving,
    Double goodputPerGpuGain, Double dollarsPerYearSaved, Double goodputGpuSaving,
    Double goodputDollarsPerYear) {

  /** True when the run and its baseline have the same number of GPUs. */
  public boolean sameGpus() {
    if (baseline == null) {
      return false;
    }
    Integer a = run.run().summary().gpus();
    Integer b = baseline.run().summary().gpus();
    return a != null && a.equals(b);
  }

  static CostComparison of(ModeRun run, ModeRun baseline, Double price) {
    RunFacts f = run.run().facts();
    List<String> pools = f.poolNames();
    String shortPool = pools.get(0);
    String longPool = pools.get(pools.size() - 1);
    Integer budget = f.shortBudgetTokens();
    if (budget == null) {
      Double len = f.poolSetting(shortPool, "max_model_len");
      budget = len == null ? null : len.intValue();
    }
    RequestStats rs = run.run().requests();
    Double alpha = budget == null || rs == null ? null : nan(rs.fractionWithin(budget));
    Summary s = run.run().summary();
    Double routed = null;
    if (s.pools() != null && s.pools().get(shortPool) != null && s.requests().total() > 0) {
      routed = (double) s.pools().get(shortPool).requests().total() / s.requests().total();
    }
    Double shortSeqs = f.poolSetting(shortPool, "max_num_seqs");
    Double longSeqs = f.poolSetting(longPool, "max_num_seqs");
    Double rho = shortSeqs == null || longSeqs == null || longSeqs <= 0 ? null
        : shortSeqs / longSeqs;
    Double closed = alpha == null || rho == null || rho <= 0 ? null : alpha * (1 - 1 / rho);
    Double saving = null;
    Double gain = null;
    Double dollars = null;
    Double goodputSaving = null;
    Double goodputDollars = null;
    if (baseline != null) {
      Summary b = baseline.run().summary();
      if (b.gpus() != null && b.gpus() > 0 && s.gpus() != null) {
        saving = 1 - (double) s.gpus() / b.gpus();
        if (price != null) {
          dollars = (b.gpus() - s.gpus()) * price * Report.HOURS_PER_YEAR;
        }
      }
      if (b.goodputPerGpu() != null && b.goodputPerGpu() > 0 && s.goodputPerGpu() != null) {
        gain = s.goodputPerGpu() / b.goodputPerGpu() - 1;
        if (s.goodputPerGpu() > 0) {
          goodputSaving = 1 - b.goodputPerGpu() / s.goodputPerGpu();
          if (price != null && b.gpus() != null) {
            goodputDollars = goodputSaving * b.gpus() * price * Report.HOURS_PER_YEAR;
          }
        }
      }
    }
    return new CostComparison(run, baseline, budget, alpha, routed, rho, closed, saving, gain,
        dollars, goodputSaving, goodputDollars);
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
