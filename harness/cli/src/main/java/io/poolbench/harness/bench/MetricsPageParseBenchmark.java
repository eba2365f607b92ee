package io.poolbench.harness.bench;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MetricsStyle;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.router.pick.LoadSignal;
import io.poolbench.router.server.signal.EngineLoadReader;
import io.poolbench.router.server.signal.MetricSample;
import io.poolbench.router.server.signal.PrometheusTextParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one load-signal scrape costs the router's {@code router-load-signals} thread: parsing a
 * whole vLLM {@code /metrics} page (the mock's, in the v0.11 and v0.10 styles, taken once from a
 * mock instance at setup) into samples, and reading the engine load from it (every line checked,
 * only the load gauges kept).
 *
 * <p>Run: {@code ./poolbench microbench MetricsPageParse -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class MetricsPageParseBenchmark {

  @Param({"V0_11", "V0_10"})
  public String style;

  String page;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InstanceSpec spec = new InstanceSpec("bench", 0, "my-model",
        EngineConfig.of(8192, 64, 4096, 4096), new AffinePerfModel(1_000_000L, 100_000L, 8192),
        0);
    try (MockServer mock = MockServer.start(MockSettings.defaults()
        .withMetricsStyle(MetricsStyle.valueOf(style)), List.of(spec))) {
      page = mock.instances().get(0).metricsText().get(10, TimeUnit.SECONDS);
    }
  }

  @Benchmark
  public List<MetricSample> parseWholePage() {
    return PrometheusTextParser.parse(page);
  }

  @Benchmark
  public LoadSignal readEngineLoad() {
    return EngineLoadReader.read(page, 0);
  }
}
