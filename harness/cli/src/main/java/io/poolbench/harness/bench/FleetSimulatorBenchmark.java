package io.poolbench.harness.bench;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.Presets;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

  private Fleet fleet;
  private TraceSource trace;
  private Path dir;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    fleet = FleetConfigs.resolve(Presets.named("paper-a100").variant(variant));
    List<TraceRequest> requests;
    try (Stream<TraceRequest> s =
        BuiltinWorkloads.open("azure-conv?rate=1000&duration=200s&seed=1").open()) {
      requests = s.limit(REQUESTS).toList();
    }
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

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(REQUESTS)
  public Simulation.Report simulate() {
    return Simulation.run(fleet, trace, dir.resolve("run"), Simulation.Options.defaults());
  }
}
