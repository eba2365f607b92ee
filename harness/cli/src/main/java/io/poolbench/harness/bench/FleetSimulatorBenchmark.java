package io.poolbench.harness.bench;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.Presets;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Simulated requests per wall-clock second of the fleet simulator on the {@code paper-a100}
 * presets: each invocation simulates 100,000 {@code builtin:azure-conv} requests (pre-generated,
 * Poisson at 1,000 req/s) and writes a full run directory, as {@code poolbench simulate} does.
 * With {@code prefix=shared} every request carries Mooncake-style prefix hashes (512 tokens per
 * id): its first 1,024 tokens are one of 16 shared system prompts and the rest is its own, so the
 * engines' automatic prefix caching hashes, looks up, registers and evicts blocks on every
 * request; {@code prefix=none} is the workload without identities (caching has nothing to do).
 * Run: {@code poolbench microbench FleetSimulator -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FleetSimulatorBenchmark {
  private static final int REQUESTS = 100_000;

  /** Fleet variant of the paper-a100 preset. */
  @Param({"homogeneous", "two-pool"})
  public String variant;

  /** {@code none}: no prefix identities; {@code shared}: 16 shared 1,024-token prefixes. */
  @Param({"none", "shared"})
  public String prefix;

  private static final int SHARED_PREFIXES = 16;
  private static final int TOKENS_PER_ID = 512;

  private Fleet fleet;
  private TraceSource trace;
  private Path dir;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    fleet = FleetConfigs.resolve(Presets.named("paper-a100").variant(variant));
    List<TraceRequest> generated;
    try (Stream<TraceRequest> s =
        BuiltinWorkloads.open("azure-conv?rate=1000&duration=200s&seed=1").open()) {
      generated = s.limit(REQUESTS).toList();
    }
    if (!prefix.equals("none") && !prefix.equals("shared")) {
      throw new IllegalArgumentException("prefix must be none or shared, got " + prefix);
    }
    List<TraceRequest> requests =
        prefix.equals("shared") ? withSharedPrefixes(generated) : generated;
    trace = new TraceSource() {
      @Override
      public String name() {
        return "azure-conv@1000";
      }

      @Override
      public Stream<TraceRequest> open() {
        return requests.stream();
      }
    };
    dir = Files.createTempDirectory("poolbench-sim-bench");
  }

  /** Each request's ids: two shared ids (one of 16 system prompts), then ids of its own. */
  private static List<TraceRequest> withSharedPrefixes(List<TraceRequest> requests) {
    List<TraceRequest> out = new java.util.ArrayList<>(requests.size());
    long unique = 1_000_000L;
    for (int i = 0; i < requests.size(); i++) {
      TraceRequest r = requests.get(i);
      int n = (r.promptTokens() + TOKENS_PER_ID - 1) / TOKENS_PER_ID;
      long[] ids = new long[n];
      int system = i % SHARED_PREFIXES;
      for (int k = 0; k < n; k++) {
        ids[k] = k < 2 ? 2L * system + k : unique++;
      }
      out.add(new TraceRequest(r.arrivalNanos(), r.promptTokens(), r.outputTokens(), r.category(),
          r.maxTokens(), ids, r.failedInSource(), r.images(), r.sourceName(), r.sourceLine()));
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void delete() {
    RunDirectory.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(REQUESTS)
  public Simulation.Report simulate() {
    return Simulation.run(fleet, trace, dir.resolve("run"), Simulation.Options.defaults());
  }
}
