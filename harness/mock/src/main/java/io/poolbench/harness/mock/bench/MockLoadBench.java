package io.poolbench.harness.mock.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.poolbench.harness.catalog.Catalog;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.harness.perf.PerfModel;
import io.poolbench.harness.perf.RooflinePerfModel;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures one mock process: how many concurrent SSE streams it holds, how many SSE events per
 * second it sustains, and how late its engine steps wake against the model (step-timing error).
 * Server and client share the JVM and the machine, so the figures are lower bounds.
 *
 * <p>Usage: {@code java -cp harness/target/poolbench.jar
 * io.poolbench.harness.mock.bench.MockLoadBench <streams> <seconds> <time-scale> [perf]}, where
 * perf is {@code roofline} (Llama-3-8B on one H100, the default) or {@code affine} (the papers'
 * W = 8 ms, H = 0.65 ms at 8K).
 */
public final class MockLoadBench {
  private MockLoadBench() {}

  private static String firstTokens(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("vllm:time_to_first_token_seconds_count")) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    return "?";
  }

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    double timeScale = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
    String perfName = args.length > 3 ? args[3] : "roofline";
    PerfModel perf = perfName.equals("affine") ? AffinePerfModel.PAPER_LLAMA70B_A100
        : RooflinePerfModel.of(Catalog.model("llama-3-8b"), Catalog.gpu("h100-80gb"), 1);
    int maxModelLen = 16_384;
    int maxTokens = maxModelLen - 8;
    // Enough KV for every stream to run to the end: no preemption in this measurement.
    EngineConfig engine = EngineConfig.of(maxModelLen, Math.max(1, streams), 8192,
        Math.max(1, streams) * (maxModelLen / 16));
    InstanceSpec spec = new InstanceSpec("bench", 0, "bench-model", engine, perf, 0);
    MockSettings settings = MockSettings.defaults().withTimeScale(timeScale);
    EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (MockServer server = MockServer.start(settings, List.of(spec))) {
      MockInstance instance = server.instances().get(0);
      SseLoadClient client = new SseLoadClient(clientGroup);
      String body = "{\"prompt\":[1,2,3,4,5,6,7,8],\"max_tokens\":" + maxTokens
          + ",\"ignore_eos\":true,\"stream\":true}";
      long t0 = System.nanoTime();
      for (int i = 0; i < streams; i++) {
        client.start("127.0.0.1", instance.port(), "/v1/completions", body);
        if (i % 200 == 199) {
          Thread.sleep(20);
        }
      }
      long nextReport = System.nanoTime() + 2_000_000_000L;
      while (client.started.get() + client.failed.get() < streams
          && System.nanoTime() - t0 < 120_000_000_000L) {
        Thread.sleep(50);
        if (System.nanoTime() > nextReport) {
          nextReport += 2_000_000_000L;
          String engineState = instance.inspect(e -> e.runningCount() + " running, "
              + e.waitingCount() + " waiting").get(5, TimeUnit.SECONDS) + ", first tokens "
              + firstTokens(instance.metricsText().get(5, TimeUnit.SECONDS));
          System.out.printf(Locale.US, "  ramp %.0f s: %d open, %d streaming; engine %s, "
                  + "server load %d%n", (System.nanoTime() - t0) / 1e9, client.open.get(),
              client.started.get(), engineState, instance.load());
        }
      }
      long ramp = System.nanoTime() - t0;
      System.out.printf(Locale.US, "streams requested %d, open %d, streaming %d, failed %d "
              + "(ramp %.1f s)%n", streams, client.open.get(), client.started.get(),
          client.failed.get(), ramp / 1e9);
      Histogram before = instance.stepTimingErrors().get(5, TimeUnit.SECONDS);
      long e0 = client.events.sum();
      long w0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long e1 = client.events.sum();
      long w1 = System.nanoTime();
      Histogram after = instance.stepTimingErrors().get(5, TimeUnit.SECONDS);
      after.subtract(before);
      double rate = (e1 - e0) / ((w1 - w0) / 1e9);
      System.out.printf(Locale.US, "held %d open streams for %.1f s: %.0f SSE events/s "
              + "(time scale %s, perf %s, cores %d)%n", client.open.get(), (w1 - w0) / 1e9, rate,
          timeScale, perf.describe(), Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.US, "step wake-up lateness over %d steps: p50 %.3f ms, p90 %.3f "
              + "ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", after.getTotalCount(),
          after.getValueAtPercentile(50) / 1e6, after.getValueAtPercentile(90) / 1e6,
          after.getValueAtPercentile(99) / 1e6, after.getValueAtPercentile(99.9) / 1e6,
          after.getMaxValue() / 1e6);
    } finally {
      clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }
  }
}
