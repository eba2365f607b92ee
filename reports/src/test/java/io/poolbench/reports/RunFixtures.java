package io.poolbench.reports;

import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.RunRecorder;
import io.poolbench.reports.rundir.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small, deterministic run directories through the real {@link RunRecorder}, so report
 * tests read exactly the files producers write. Requests arrive every 100 ms; a request goes to
 * the first pool when prompt + max_tokens fits its max_model_len, else to the last pool; every
 * 50th request is shed with HTTP 503.
 */
public final class RunFixtures {
  private RunFixtures() {}

  /** The papers' SLO: P99 TTFT 2 s, P99 TPOT 80 ms. */
  public static final Summary.Slo PAPER_SLO = new Summary.Slo(2000, 80);

  /**
   * What to write.
   *
   * @param pools pool names; one pool means a homogeneous fleet
   * @param gpuPrice $/GPU-hour written as config.gpu_price, or null for none
   * @param slo the SLO the recorder counts goodput against (summary.json slo)
   */
  public record Spec(String mode, String policy, List<String> pools, int[] gpus,
      int[] maxModelLen, int[] maxNumSeqs, List<String> categories, int requests, long seed,
      Double gpuPrice, Summary.Slo slo) {

    /** A two-pool token-budget run (8K short pool of 4 GPUs, 64K long pool of 4 GPUs). */
    public static Spec twoPool(int requests) {
      return new Spec("simulate", "token-budget", List.of("short", "long"), new int[] {4, 4},
          new int[] {8192, 65536}, new int[] {128, 16}, List.of("prose", "code"), requests, 7,
          2.0, PAPER_SLO);
    }

    /** A one-pool run of 10 GPUs with the same requests. */
    public static Spec single(int requests) {
      return new Spec("simulate", "single", List.of("homogeneous"), new int[] {10},
          new int[] {65536}, new int[] {16}, List.of("prose", "code"), requests, 7, 2.0,
          PAPER_SLO);
    }

    public Spec withMode(String m) {
      return new Spec(m, policy, pools, gpus, maxModelLen, maxNumSeqs, categories, requests,
          seed, gpuPrice, slo);
    }

    public Spec withPolicy(String p) {
      return new Spec(mode, p, pools, gpus, maxModelLen, maxNumSeqs, categories, requests, seed,
          gpuPrice, slo);
    }

    public Spec withCategories(List<String> c) {
      return new Spec(mode, policy, pools, gpus, maxModelLen, maxNumSeqs, c, requests, seed,
          gpuPrice, slo);
    }

    public Spec withSlo(double ttftMs, double tpotMs) {
      return new Spec(mode, policy, pools, gpus, maxModelLen, maxNumSeqs, categories, requests,
          seed, gpuPrice, new Summary.Slo(ttftMs, tpotMs));
    }

    /** The same pools with {@code g[i]} GPUs (and instances) each. */
    public Spec withGpus(int... g) {
      return new Spec(mode, policy, pools, g.clone(), maxModelLen, maxNumSeqs, categories,
          requests, seed, gpuPrice, slo);
    }

    public Spec withoutPrice() {
      return new Spec(mode, policy, pools, gpus, maxModelLen, maxNumSeqs, categories, requests,
          seed, null, slo);
    }
  }

  /**
   * Facts about what was written, computed independently of the report code.
   *
   * @param perPool arrivals routed to each pool
   * @param within8k requests whose prompt + max_tokens ≤ 8,192
   * @param rejected requests shed with 503
   */
  public record Written(Path dir, int total, long[] perPool, int within8k, int rejected) {}

  /** Writes the run directory {@code dir}. */
  public static Written write(Path dir, Spec spec) {
    RunDirectory rd = RunDirectory.create(dir);
    List<RunInfo.Pool> fleet = new ArrayList<>();
    int totalGpus = 0;
    for (int p = 0; p < spec.pools().size(); p++) {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("max_model_len", spec.maxModelLen()[p]);
      settings.put("max_num_seqs", spec.maxNumSeqs()[p]);
      fleet.add(new RunInfo.Pool(spec.pools().get(p), spec.gpus()[p], "a100-80gb", 1,
          spec.gpus()[p], "llama-3-70b", settings));
      totalGpus += spec.gpus()[p];
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("fleet", Map.of("name", "fixture-" + spec.pools().size() + "-pool"));
    config.put("policy", spec.policy());
    config.put("short_budget_tokens", spec.maxModelLen()[0]);
    config.put("hlog_interval_s", 1.0);
    if (spec.gpuPrice() != null) {
      config.put("gpu_price", spec.gpuPrice());
    }
    rd.writeRunInfo(new RunInfo(spec.mode(), "0.1.0-test", "abc1234", "2026-11-28T00:00:00Z",
        spec.seed(), new RunInfo.Trace("builtin:fixture", "fnv1a64:0123", spec.requests()),
        fleet, totalGpus, config, Map.of("java_version", "21")));
    int[] instances = spec.gpus().clone();
    RunRecorder rec = new RunRecorder(rd, spec.pools(), spec.gpus(), instances,
        spec.slo(), 1_000_000_000L, 0);
    Random rnd = new Random(spec.seed());
    long ms = 1_000_000L;
    long[] perPool = new long[spec.pools().size()];
    int within = 0;
    int rejected = 0;
    long end = 0;
    for (int i = 0; i < spec.requests(); i++) {
      long arrival = i * 100 * ms;
      rec.advanceTo(arrival);
      int prompt = 100 + rnd.nextInt(i % 5 == 0 ? 20_000 : 4_000);
      int maxTokens = 50 + rnd.nextInt(250);
      int output = Math.max(2, maxTokens - rnd.nextInt(40));
      String category = spec.categories().get(i % spec.categories().size());
      int pool = spec.pools().size() == 1 || prompt + maxTokens <= spec.maxModelLen()[0] ? 0
          : spec.pools().size() - 1;
      if (prompt + maxTokens <= 8192) {
        within++;
      }
      perPool[pool]++;
      if (i % 50 == 49) {
        rejected++;
        rec.recordRequest(i, arrival, pool, 0, category, prompt, output, maxTokens,
            OutcomeKind.REJECTED_OVERLOAD, 503, -1, -1, -1, 0, 0);
        continue;
      }
      long ttft = (20 + rnd.nextInt(60) + (pool > 0 ? 100 : 0)) * ms;
      long itl = (8 + rnd.nextInt(4)) * ms;
      long e2e = ttft + (output - 1) * itl;
      rec.recordItl(pool, output - 1, itl);
      rec.recordRequest(i, arrival, pool, i % spec.gpus()[pool], category, prompt, output,
          maxTokens, OutcomeKind.OK, 200, 2 * ms, ttft, e2e, output, i % 97 == 0 ? 1 : 0);
      end = Math.max(end, arrival + e2e);
    }
    rec.finish(Math.max(end, 1));
    return new Written(dir, spec.requests(), perPool, within, rejected);
  }
}
