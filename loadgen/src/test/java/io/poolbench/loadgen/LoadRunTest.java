package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.poolbench.loadgen.metrics.EngineEndpoint;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.TokenizerKind;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's plumbing against a minimal streaming endpoint (the mock vLLM server's integration
 * tests live in the harness module): every row gets one outcome and the run directory is whole.
 */
class LoadRunTest {

  private static final PromptSynthesizer PROMPTS = new PromptSynthesizer(TokenizerKind.CL100K_BASE, 1);

  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      int n = requests.incrementAndGet();
      if (n % 10 == 0) { // every tenth request is refused as overload
        byte[] body = "{\"error\":{\"message\":\"busy\",\"type\":\"ServiceUnavailable\",\"code\":503}}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(503, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("content-type", "text/event-stream; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 3; i++) {
          out.write(("data: {\"choices\":[{\"index\":0,\"text\":\"t" + i + "\",\"finish_reason\":null}]}\n\n")
              .getBytes(StandardCharsets.UTF_8));
          out.flush();
          Thread.sleep(2);
        }
        out.write(("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":3,"
            + "\"total_tokens\":23}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.createContext("/metrics", exchange -> {
      byte[] body = ("# HELP vllm:num_preemptions_total Cumulative number of preemption.\n"
          + "# TYPE vllm:num_preemptions_total counter\n"
          + "vllm:num_preemptions_total{engine=\"0\",model_name=\"m\"} "
          + (2.0 * requests.get()) + "\n"
          + "vllm:num_requests_running{engine=\"0\",model_name=\"m\"} 1.0\n"
          + "vllm:num_requests_waiting{engine=\"0\",model_name=\"m\"} 0.0\n"
          + "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.25\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static TraceSource trace(int rows, long gapNanos) {
    return new TraceSource() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public Stream<TraceRequest> open() {
        return LongStream.range(0, rows).mapToObj(i -> TraceRequest.of(i * gapNanos, 20, 3));
      }
    };
  }

  private LoadgenSettings settings(int shardIndex, int shardCount) {
    return settings(shardIndex, shardCount, Duration.ZERO);
  }

  private LoadgenSettings settings(int shardIndex, int shardCount, Duration warmup) {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new LoadgenSettings(List.of(target), List.of(), Map.of(LoadgenSettings.label(target), 2),
        Api.COMPLETIONS, "m", true, true, 0, Duration.ofSeconds(2), Duration.ofSeconds(5),
        new Summary.Slo(2000, 100), null, 1, Duration.ofSeconds(1), Duration.ZERO, shardIndex,
        shardCount, 64, warmup);
  }

  private LoadRun run(LoadgenSettings settings, TraceSource source, Path out) {
    RequestFactory factory = new RequestFactory(Api.COMPLETIONS, "m", true, true, ContentCategory.PROSE, PROMPTS);
    return new LoadRun(settings, source, factory, RunDirectory.create(out),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @Test
  void instancesPerPool_countsTheEnginesReadPerPool_elseUnknown() {
    URI router = URI.create("http://127.0.0.1:1");
    LoadgenSettings behindRouter = new LoadgenSettings(List.of(router), List.of("short", "long"),
        Map.of("short", 3, "long", 1), Api.COMPLETIONS, "m", true, true, 0,
        Duration.ofSeconds(2), Duration.ofSeconds(5), new Summary.Slo(2000, 100), null, 1,
        Duration.ofSeconds(1), Duration.ZERO, 0, 1, 64, Duration.ZERO);
    // the router's endpoints are not visible to the load generator: unknown, not 0
    assertThat(LoadRun.instancesPerPool(behindRouter)).containsExactly(-1, -1);
    var engines = List.of(
        new EngineEndpoint("short", URI.create("http://a:1")),
        new EngineEndpoint("short", URI.create("http://b:1")),
        new EngineEndpoint("short", URI.create("http://c:1")),
        new EngineEndpoint("long", URI.create("http://d:1")));
    assertThat(LoadRun.instancesPerPool(behindRouter.withScrapeMetrics(engines)))
        .containsExactly(3, 1);
    // without pool names each target is its own pool of one
    assertThat(LoadRun.instancesPerPool(settings(0, 1)))
        .containsExactly(1);
  }

  @Test
  void run_givesEveryRowOneOutcome_andWritesTheRunDirectory() throws Exception {
    Path out = dir.resolve("run");
    LoadRun.Result result = run(settings(0, 1), trace(60, 5_000_000), out).run();
    Summary s = result.summary();
    assertThat(s.requests().total()).isEqualTo(60);
    assertThat(s.requests().ok()).isEqualTo(54);
    assertThat(s.requests().rejectedOverload()).isEqualTo(6);
    assertThat(s.ttftMs().p50()).isPositive();
    assertThat(s.gpus()).isEqualTo(2);
    assertThat(out.resolve("summary.json")).exists();
    assertThat(out.resolve("latency.hlog")).exists();
    assertThat(out.resolve("requests.csv.gz")).exists();
    String client = Files.readString(out.resolve("loadgen.json"));
    assertThat(client).contains("\"rows\" : 60").contains("\"send_lag_ms\"");
    // the JIT warm-up went to the loopback sink, all of it answered, none of it to the target
    var warm = RunDirectory.mapper().readTree(out.resolve("loadgen.json").toFile()).path("jit_warmup");
    assertThat(warm.path("exchanges").asLong()).isPositive();
    assertThat(warm.path("answered").asLong()).isEqualTo(warm.path("exchanges").asLong());
    assertThat(requests.get()).isEqualTo(60);
  }

  @Test
  void jitWarmupExchanges_defaultsOrTakesAWholeNumber_elseNamesTheProperty() {
    assertThat(LoadRun.jitWarmupExchanges(null)).isEqualTo(LoadRun.JIT_WARMUP_EXCHANGES);
    assertThat(LoadRun.jitWarmupExchanges(" 0 ")).isZero();
    assertThat(LoadRun.jitWarmupExchanges("250")).isEqualTo(250);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadRun.jitWarmupExchanges("-1"))
        .hasMessage("-D" + LoadRun.JIT_WARMUP_PROPERTY + "=-1: expected a whole number of exchanges >= 0");
  }

  @Test
  void summaryJson_holdsTheLoadgensOwnSendLagAndResourceUse() throws Exception {
    Path out = dir.resolve("lag");
    run(settings(0, 1), trace(40, 5_000_000), out).run();
    var json = RunDirectory.mapper().readTree(out.resolve("summary.json").toFile());
    var lag = json.path("send_lag_ms");
    for (String key : List.of("count", "mean", "p50", "p90", "p99", "p99_9", "max")) {
      assertThat(lag.has(key)).as(key).isTrue();
    }
    assertThat(lag.path("count").asLong()).isEqualTo(40);
    double p50 = lag.path("p50").asDouble();
    assertThat(p50).isGreaterThanOrEqualTo(0);
    assertThat(lag.path("p90").asDouble()).isGreaterThanOrEqualTo(p50);
    assertThat(lag.path("p99").asDouble()).isGreaterThanOrEqualTo(lag.path("p90").asDouble());
    assertThat(lag.path("p99_9").asDouble()).isGreaterThanOrEqualTo(lag.path("p99").asDouble());
    assertThat(lag.path("max").asDouble()).isGreaterThanOrEqualTo(lag.path("p99_9").asDouble());
    // per pool there is no send lag: it is the tool's, not a pool's
    assertThat(json.path("pools").elements().next().has("send_lag_ms")).isFalse();
    var use = json.path("loadgen");
    assertThat(use.path("cpu_s").asDouble()).isPositive();
    assertThat(use.path("cpu_ms_per_request").asDouble())
        .isEqualTo(use.path("cpu_s").asDouble() * 1000 / 40, org.assertj.core.data.Offset.offset(0.01));
    assertThat(use.has("gc_pause_ms") && use.has("gc_count")).isTrue();
    assertThat(use.path("threads").asInt()).isPositive();
    assertThat(use.path("heap_used_max_mb").asDouble()).isPositive();
    assertThat(use.path("shared_with_servers").asBoolean()).isFalse();
    // and the typed summary reads it back
    Summary s = RunDirectory.open(out).readSummary();
    assertThat(s.sendLagMs().count()).isEqualTo(40);
    assertThat(s.loadgen().cpuS()).isPositive();
  }

  @Test
  void statusLine_keepsPrintingWhileTheRunDrains() throws Exception {
    // one slow request (the server holds it ~1.2 s) after the last send: lines while it drains
    server.createContext("/slow/v1/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      try {
        Thread.sleep(1_200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "{\"choices\":[{\"text\":\"x\"}],\"usage\":{\"completion_tokens\":1}}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");
    LoadgenSettings settings = new LoadgenSettings(List.of(target), List.of(), Map.of(),
        Api.COMPLETIONS, "m", false, true, 0, Duration.ofSeconds(2), Duration.ofSeconds(5),
        new Summary.Slo(2000, 100), null, 1, Duration.ofSeconds(1), Duration.ofMillis(200), 0, 1,
        64, Duration.ZERO);
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    RequestFactory factory = new RequestFactory(Api.COMPLETIONS, "m", false, true,
        ContentCategory.PROSE, PROMPTS);
    new LoadRun(settings, trace(2, 10_000_000), factory, RunDirectory.create(dir.resolve("drain")),
        new PrintStream(lines, true, StandardCharsets.UTF_8)).run();
    String text = lines.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("draining").contains("last 0.2s: due ").contains(" / 0:00.0]");
  }

  @Test
  void run_withoutScraping_reportsPreemptionsUnknown() {
    Summary s = run(settings(0, 1), trace(5, 1_000_000), dir.resolve("plain")).run().summary();
    assertThat(s.preemptions()).isNull();
    assertThat(s.preemptionsPer1000()).isNull();
    assertThat(dir.resolve("plain").resolve("engine-metrics.csv")).doesNotExist();
  }

  @Test
  void run_scrapingTheEngine_countsItsPreemptionCounterIncrease() throws Exception {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    requests.set(7); // the counter does not start at zero: only the increase counts
    Path out = dir.resolve("scraped");
    LoadRun.Result result = run(settings(0, 1).withScrapeMetrics(List.of(
        new EngineEndpoint(LoadgenSettings.label(target), target))),
        trace(30, 40_000_000), out).run();
    Summary s = result.summary();
    assertThat(s.preemptions()).isEqualTo(2L * 30);
    assertThat(s.pools().values().iterator().next().preemptions()).isEqualTo(60);
    assertThat(s.preemptionsPer1000()).isEqualTo(2000.0);
    List<String> series = Files.readAllLines(out.resolve("engine-metrics.csv"));
    assertThat(series.get(0)).isEqualTo(
        "t_s,pool,endpoint,running,waiting,kv_cache_usage,preemptions_total");
    assertThat(series).hasSizeGreaterThan(1);
    assertThat(series.get(1)).contains(",1,0,0.2500,");
  }

  @Test
  void run_unreadableEngine_reportsItsPoolUnknownNotZero() {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    URI nowhere = URI.create("http://127.0.0.1:1");
    Summary s = run(settings(0, 1).withScrapeMetrics(List.of(
        new EngineEndpoint(LoadgenSettings.label(target), nowhere))),
        trace(3, 1_000_000), dir.resolve("down")).run().summary();
    assertThat(s.requests().ok()).isEqualTo(3);
    assertThat(s.preemptions()).isNull();
  }

  @Test
  void shards_splitTheTraceWithoutOverlap() {
    LoadRun.Result a = run(settings(0, 3), trace(30, 1_000_000), dir.resolve("a")).run();
    LoadRun.Result b = run(settings(1, 3), trace(30, 1_000_000), dir.resolve("b")).run();
    LoadRun.Result c = run(settings(2, 3), trace(30, 1_000_000), dir.resolve("c")).run();
    assertThat(a.summary().requests().total() + b.summary().requests().total()
        + c.summary().requests().total()).isEqualTo(30);
    assertThat(a.summary().requests().total()).isEqualTo(10);
  }

  @Test
  void stop_turnsUnsentRowsIntoNotSent_andStillWritesTheRunDirectory() throws Exception {
    Path out = dir.resolve("stopped");
    LoadRun loadRun = run(settings(0, 1), trace(200, 20_000_000), out); // 4 s of plan
    // stop once the server has seen 20 requests: the plan still has ~3.6 s to go
    Thread stopper = Thread.ofVirtual().start(() -> {
      while (requests.get() < 20) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
      loadRun.stop();
    });
    Summary s = loadRun.run().summary();
    stopper.join();
    assertThat(s.requests().total()).isEqualTo(200);
    assertThat(s.requests().notSent()).isBetween(100L, 180L);
    assertThat(s.requests().ok() + s.requests().rejectedOverload() + s.requests().notSent()
        + s.requests().timeout()).isEqualTo(200);
    assertThat(out.resolve("summary.json")).exists();
  }

  @Test
  void warmup_rowsAreSentButKeptOutOfTheFigures_andCountedApart() throws Exception {
    Path out = dir.resolve("warm");
    // rows every 5 ms: the 20 rows due in the first 100 ms are the warm-up
    Summary s = run(settings(0, 1, Duration.ofMillis(100)), trace(60, 5_000_000), out).run().summary();
    assertThat(s.requests().total()).isEqualTo(40);
    assertThat(requests.get()).isEqualTo(60);
    var client = RunDirectory.mapper().readTree(out.resolve("loadgen.json").toFile());
    long warm = 0;
    for (var count : client.path("warmup_outcomes")) {
      warm += count.asLong();
    }
    assertThat(warm).isEqualTo(20);
  }

  @Test
  void warmup_preemptionsBeforeTheWindowOpens_areLeftOut() throws Exception {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    TraceSource source = new TraceSource() {
      @Override
      public String name() {
        return "two before, three after";
      }

      @Override
      public Stream<TraceRequest> open() {
        return LongStream.of(0, 100, 1_000, 1_100, 1_200)
            .mapToObj(ms -> TraceRequest.of(ms * 1_000_000, 20, 3));
      }
    };
    Path out = dir.resolve("warm");
    Summary s = run(settings(0, 1, Duration.ofMillis(500)).withScrapeMetrics(List.of(
        new EngineEndpoint(LoadgenSettings.label(target), target))),
        source, out).run().summary();
    // the fake engine adds 2 per request it receives; the window opens at 500 ms
    assertThat(s.requests().total()).isEqualTo(3);
    assertThat(s.preemptions()).isEqualTo(6);
    var engines = RunDirectory.mapper().readTree(out.resolve("loadgen.json").toFile())
        .path("engine_metrics");
    assertThat(engines.get(0).path("preemptions_before").asDouble()).isEqualTo(4.0);
    assertThat(engines.get(0).path("preemptions_after").asDouble()).isEqualTo(10.0);
  }
}
