import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The engine model against a public real-vLLM measurement: Qwen2-7B-Instruct on one A100 80GB
 * (vLLM V1, September 2025), {@code benchmark_serving.py --dataset-name random
 * --random-input-len 1024 --random-output-len 1024 --num-prompts N}, request rate unlimited, with
 * {@code --gpu-memory-utilization 0.25} leaving 5.01 GiB of KV cache (Dennis Lee,
 * github.com/dennislee22/vLLM-benchmarking, README.md "Test 4", commit 00dac23d9f92). Only
 * aggregates are published (mean, median, P99 of TTFT and TPOT per N), so the comparison is
 * per run, not per request.
 *
 * <p>For each step-time model — the catalog defaults (affine W = 8 ms, H = 0.65 ms; roofline 60%
 * of peak FLOP/s, 80% of peak bandwidth, 1 ms overhead) and the same two models fitted here by
 * grid search on three of the eight runs (N = 1, 10, 50) — it simulates every N and prints the
 * errors; the five runs not used for the fit (N = 20, 30, 75, 100, 200) are the held-out check.
 *
 * <p>Run from the repository root, after {@code ./mvnw -q package -DskipTests}:
 * {@code java -cp harness/cli/target/poolbench.jar docs/fidelity/RealVllmA100.java}
 */
public class RealVllmA100 {
  /** N, mean / median / P99 TTFT ms, mean / median / P99 TPOT ms (published). */
  static final double[][] PUBLISHED = {
      {1, 36.46, 36.46, 36.46, 11.76, 11.76, 11.76},
      {10, 503.72, 553.62, 699.66, 13.46, 13.41, 13.76},
      {20, 463.10, 364.37, 843.99, 14.36, 14.46, 14.61},
      {30, 1033.68, 935.87, 1444.56, 15.19, 15.28, 15.37},
      {50, 693.75, 424.74, 1690.56, 18.46, 18.55, 19.38},
      {75, 1140.94, 791.30, 2675.82, 24.02, 20.90, 32.32},
      {100, 6772.41, 4105.02, 30414.46, 28.69, 24.73, 40.23},
      {200, 28904.67, 30624.81, 60770.93, 29.87, 26.43, 48.82},
  };
  static final int[] FIT = {1, 10, 50};

  /** Qwen2-7B KV bytes per block: 16 tokens x 2 x 28 layers x 4 KV heads x 128 x 2 bytes. */
  static final long BLOCK_BYTES = 16L * 2 * 28 * 4 * 128 * 2;
  /** 5.01 GiB of KV cache, as vLLM logged it. */
  static final int BLOCKS = (int) (5.01 * (1L << 30) / BLOCK_BYTES);

  static Path tmp;
  static int runs;

  public static void main(String[] args) throws IOException {
    tmp = Files.createTempDirectory("poolbench-fidelity");
    try {
      System.out.printf(Locale.US, "KV cache: %,d blocks of 16 tokens (%,d tokens)%n%n", BLOCKS,
          BLOCKS * 16L);
      report("affine, catalog defaults (W 8 ms, H 0.65 ms @ 8K)", affine(8, 0.65));
      report("roofline, catalog defaults (compute 0.60, memory 0.80, overhead 1 ms)",
          roofline(0.60, 0.80, 1.0));
      double[] bestA = null;
      double bestErr = Double.MAX_VALUE;
      for (double w = 6; w <= 16.01; w += 0.5) {
        for (double h = 0.1; h <= 2.01; h += 0.1) {
          double e = fitError(affine(w, h));
          if (e < bestErr) {
            bestErr = e;
            bestA = new double[] {w, h};
          }
        }
      }
      report(String.format(Locale.US, "affine, fitted on N = 1, 10, 50 (W %.1f ms, H %.2f ms)",
          bestA[0], bestA[1]), affine(bestA[0], bestA[1]));
      double[] bestR = null;
      bestErr = Double.MAX_VALUE;
      for (double c = 0.30; c <= 1.001; c += 0.05) {
        for (double m = 0.50; m <= 1.001; m += 0.05) {
          for (double o = 0; o <= 4.01; o += 0.5) {
            double e = fitError(roofline(c, m, o));
            if (e < bestErr) {
              bestErr = e;
              bestR = new double[] {c, m, o};
            }
          }
        }
      }
      report(String.format(Locale.US,
          "roofline, fitted on N = 1, 10, 50 (compute %.2f, memory %.2f, overhead %.1f ms)",
          bestR[0], bestR[1], bestR[2]), roofline(bestR[0], bestR[1], bestR[2]));
      System.out.printf(Locale.US, "(%,d simulations)%n", runs);
    } finally {
      try (Stream<Path> paths = Files.walk(tmp)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static String affine(double w, double h) {
    return String.format(Locale.US, "perf-model: affine%naffine: {w-ms: %.3f, h-ms: %.3f}%n", w,
        h);
  }

  static String roofline(double c, double m, double o) {
    return String.format(Locale.US, "perf-model: roofline%nroofline: {compute-efficiency: %.3f, "
        + "memory-efficiency: %.3f, overhead-ms: %.3f}%n", c, m, o);
  }

  /** One instance as the source ran it: A100 defaults for the API server (vLLM arg_utils). */
  static Summary simulate(String perf, int n) {
    String yaml = "name: qwen2-7b-a100\nmodel: qwen2-7b\ngpu: a100-80gb\n" + perf
        + "oom: \"off\"\npools:\n  - name: only\n    instances: 1\n    max-model-len: 32768\n"
        + "    max-num-seqs: 256\n    max-num-batched-tokens: 2048\n    num-gpu-blocks: " + BLOCKS
        + "\nrouting: {policy: single}\n";
    List<TraceRequest> rows = IntStream.range(0, n)
        .mapToObj(i -> TraceRequest.of(0, 1024, 1024).withMaxTokens(1024)).toList();
    TraceSource trace = new TraceSource() {
      @Override
      public String name() {
        return "random-1024-1024-x" + n;
      }

      @Override
      public Stream<TraceRequest> open() {
        return rows.stream();
      }
    };
    runs++;
    return Simulation.run(FleetConfigs.resolve(FleetConfigs.parse(yaml, "fidelity")), trace,
        tmp.resolve("run-" + runs), Simulation.Options.defaults()).summary();
  }

  static double err(double sim, double real) {
    return (sim - real) / real * 100;
  }

  /** Mean over the fit runs of |error| of mean TTFT and mean TPOT, equally weighted. */
  static double fitError(String perf) {
    double sum = 0;
    for (int n : FIT) {
      double[] p = published(n);
      Summary s = simulate(perf, n);
      sum += Math.abs(err(s.ttftMs().mean(), p[1])) + Math.abs(err(s.tpotMs().mean(), p[4]));
    }
    return sum / (2 * FIT.length);
  }

  static double[] published(int n) {
    for (double[] p : PUBLISHED) {
      if (p[0] == n) {
        return p;
      }
    }
    throw new IllegalArgumentException("no published run for N = " + n);
  }

  static void report(String title, String perf) {
    System.out.println("### " + title);
    System.out.println();
    System.out.println("| N | TTFT mean real / sim (err) | TTFT p50 | TTFT p99 | TPOT mean real"
        + " / sim (err) | TPOT p50 | TPOT p99 |");
    System.out.println("|---|---|---|---|---|---|---|");
    List<Double> fitAbs = new ArrayList<>();
    List<Double> heldAbs = new ArrayList<>();
    for (double[] p : PUBLISHED) {
      int n = (int) p[0];
      Summary s = simulate(perf, n);
      LatencySummary t = s.ttftMs();
      LatencySummary o = s.tpotMs();
      double[] e = {err(t.mean(), p[1]), err(t.p50(), p[2]), err(t.p99(), p[3]),
          err(o.mean(), p[4]), err(o.p50(), p[5]), err(o.p99(), p[6])};
      boolean fit = IntStream.of(FIT).anyMatch(f -> f == n);
      for (double x : e) {
        (fit ? fitAbs : heldAbs).add(Math.abs(x));
      }
      System.out.printf(Locale.US,
          "| %d%s | %.1f / %.1f (%+.0f%%) | %.1f / %.1f (%+.0f%%) | %.1f / %.1f (%+.0f%%) "
              + "| %.2f / %.2f (%+.0f%%) | %.2f / %.2f (%+.0f%%) | %.2f / %.2f (%+.0f%%) |%n",
          n, fit ? " (fit)" : "", p[1], t.mean(), e[0], p[2], t.p50(), e[1], p[3], t.p99(), e[2],
          p[4], o.mean(), e[3], p[5], o.p50(), e[4], p[6], o.p99(), e[5]);
    }
    System.out.printf(Locale.US, "%nmean |error|: fit runs %.1f%%, held-out runs %.1f%%%n%n",
        fitAbs.stream().mapToDouble(Double::doubleValue).average().orElse(0),
        heldAbs.stream().mapToDouble(Double::doubleValue).average().orElse(0));
  }
}
