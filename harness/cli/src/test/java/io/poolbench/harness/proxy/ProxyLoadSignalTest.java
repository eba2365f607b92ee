package io.poolbench.harness.proxy;

import static io.poolbench.harness.proxy.ProxyFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.pick.LoadSignal;
import io.poolbench.router.server.LoadSignalSettings;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Engine load signals scraped from the endpoints' {@code /metrics}: a mock engine with a queue
 * shows its running and waiting requests in {@code /router/state} and {@code /metrics}, its
 * waiting requests become the pool's queued count, and the least-requests picker sends new
 * requests to the other engine although the router itself has nothing outstanding at either; a
 * signal that stops being refreshed goes stale and is dropped, and failing scrapes never eject.
 */
@Timeout(60)
class ProxyLoadSignalTest {

  private static final LoadSignalSettings FAST =
      new LoadSignalSettings(100_000_000L, 1_000_000_000L, 400_000_000L);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static ProxyServer proxy(List<URI> urls, int capacity) {
    RouterSettings router = new RouterSettings(List.of(new PoolSpec("only", 16_384, capacity)),
        "single", ProxyFixture.policy(), EstimatorSettings.DEFAULTS);
    return ProxyServer.start(ProxySettings.defaults(router, List.of(urls)).withIoThreads(2)
        .withLoadSignals(FAST));
  }

  private HttpResponse<String> send(String url, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(30));
    b = body == null ? b.GET() : b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void engineQueue_shownAndCountedAsQueued_andPickerAvoidsIt() throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      // max_num_seqs 2: a third concurrent request waits in the engine
      specs.add(new InstanceSpec("only", i, ProxyFixture.MODEL,
          EngineConfig.of(16_384, 2, 4096, 4096), new AffinePerfModel(1_000_000L, 100_000L, 8192),
          0));
    }
    try (MockServer mock = MockServer.start(ProxyFixture.mockSettings(21), specs)) {
      MockInstance busy = mock.instances().get(0);
      MockInstance idle = mock.instances().get(1);
      String busyName = busy.url().substring("http://".length());
      busy.slowDown(500, 30_000_000_000L);
      // five streams straight to the busy engine (not through the router): 2 run, 3 wait
      List<CompletableFuture<HttpResponse<Void>>> direct = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        direct.add(http.sendAsync(HttpRequest.newBuilder(URI.create(busy.url()
                + "/v1/completions")).timeout(Duration.ofSeconds(40))
            .POST(HttpRequest.BodyPublishers.ofString(ProxyFixture.completion(
                ProxyFixture.prose(100, i), 400, true))).build(),
            HttpResponse.BodyHandlers.discarding()));
      }
      try (ProxyServer p = proxy(List.of(URI.create(busy.url()), URI.create(idle.url())), 10)) {
        await("the busy engine's queue is scraped", () -> {
          LoadSignal s = p.pool(0).endpoints().signal(0);
          return s != null && s.waiting() == 3 && s.running() == 2;
        });
        await("the pool's queued count follows", () -> p.load().queued(0) == 3);
        assertThat(p.load().engineWaiting(0)).isEqualTo(3);
        assertThat(p.load().pressure(0)).isEqualTo(0.3);
        String metrics = send(p.url(), "/metrics", null).body();
        assertThat(metrics)
            .contains("poolbench_router_endpoint_engine_waiting{pool=\"only\",endpoint=\""
                + busyName + "\"} 3\n")
            .contains("poolbench_router_endpoint_engine_running{pool=\"only\",endpoint=\""
                + busyName + "\"} 2\n")
            .contains("poolbench_router_pool_engine_waiting{pool=\"only\"} 3\n")
            .containsPattern("poolbench_router_endpoint_engine_kv_usage\\{pool=\"only\","
                + "endpoint=\"" + busyName + "\"} 0\\.0*[1-9]")
            .contains("poolbench_router_endpoint_signal_fresh{pool=\"only\",endpoint=\""
                + busyName + "\"} 1\n")
            .containsPattern("poolbench_router_endpoint_scrapes_total\\{pool=\"only\","
                + "endpoint=\"" + busyName + "\",result=\"ok\"} [1-9]");
        String state = send(p.url(), "/router/state", null).body();
        assertThat(state).contains("\"queued\":3,\"engine_waiting\":3")
            .containsPattern("\"signal\":\\{\"running\":2,\"waiting\":3,\"kv_usage\":[0-9.E-]+,"
                + "\"age_ms\":\\d+,\"fresh\":true}");
        // the router has nothing outstanding at either engine; only the signal tells them apart
        for (int i = 0; i < 4; i++) {
          HttpResponse<String> r = send(p.url(), "/v1/completions",
              ProxyFixture.completion(ProxyFixture.prose(100, 50 + i), 2, false));
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          assertThat(r.headers().firstValue(ProxyServer.ENDPOINT_HEADER))
              .hasValue(idle.url().substring("http://".length()));
        }
      } finally {
        direct.forEach(d -> d.cancel(true));
      }
    }
  }

  @Test
  void engineQueueInShortPool_raisesPressure_andSpillsToLongPool() throws Exception {
    List<InstanceSpec> specs = List.of(
        new InstanceSpec("short", 0, ProxyFixture.MODEL, EngineConfig.of(ProxyFixture.SHORT_LEN,
            2, 4096, 4096), new AffinePerfModel(1_000_000L, 100_000L, 8192), 0),
        new InstanceSpec("long", 0, ProxyFixture.MODEL, EngineConfig.of(ProxyFixture.LONG_LEN,
            64, 4096, 4096), new AffinePerfModel(1_000_000L, 100_000L, 8192), 0));
    try (MockServer mock = MockServer.start(ProxyFixture.mockSettings(23), specs)) {
      MockInstance shortEngine = mock.instances().get(0);
      shortEngine.slowDown(500, 30_000_000_000L);
      List<CompletableFuture<HttpResponse<Void>>> direct = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        direct.add(http.sendAsync(HttpRequest.newBuilder(URI.create(shortEngine.url()
                + "/v1/completions")).timeout(Duration.ofSeconds(40))
            .POST(HttpRequest.BodyPublishers.ofString(ProxyFixture.completion(
                ProxyFixture.prose(100, i), 400, true))).build(),
            HttpResponse.BodyHandlers.discarding()));
      }
      RouterSettings router = new RouterSettings(List.of(
          new PoolSpec("short", ProxyFixture.SHORT_LEN, 4),
          new PoolSpec("long", ProxyFixture.LONG_LEN, 1000)), "token-budget",
          ProxyFixture.policy().withSpillover(true).withSpillPressure(0.5),
          EstimatorSettings.DEFAULTS);
      List<List<URI>> urls = List.of(List.of(URI.create(shortEngine.url())),
          List.of(URI.create(mock.instances().get(1).url())));
      try (ProxyServer p = ProxyServer.start(ProxySettings.defaults(router, urls)
          .withIoThreads(2).withLoadSignals(FAST))) {
        // nothing in flight through the router: only the engine's 3 waiting requests press
        await("the short engine's queue reaches the pool", () -> p.load().queued(0) == 3);
        assertThat(p.load().pressure(0)).isEqualTo(0.75);
        HttpResponse<String> r = send(p.url(), "/v1/completions",
            ProxyFixture.completion(ProxyFixture.prose(200, 9), 4, false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("long");
        assertThat(p.router().metrics().spillovers(0) + p.router().metrics().spillovers(1))
            .isEqualTo(1);
      } finally {
        direct.forEach(d -> d.cancel(true));
      }
    }
  }

  @Test
  void signalNoLongerRefreshed_goesStale_andFailingScrapesNeverEject() throws Exception {
    try (CannedUpstream up = new CannedUpstream(null)) {
      up.metricsPage = CannedUpstream.page(1, 7, 0.25);
      try (ProxyServer p = proxy(List.of(URI.create(up.url("127.0.0.1"))), 100)) {
        await("the signal is scraped", () -> p.load().queued(0) == 7);
        up.metricsStatus = 500;
        await("a failed scrape is counted", () -> p.pool(0).scrapes(0).failures() > 0);
        assertThat(p.pool(0).scrapes(0).lastFailure()).isEqualTo("HTTP 500");
        await("the stale signal leaves the pool's queue", () -> p.load().queued(0) == 0);
        assertThat(send(p.url(), "/metrics", null).body())
            .contains("poolbench_router_endpoint_signal_fresh{pool=\"only\",endpoint=\"127.0.0.1:"
                + up.port() + "\"} 0\n");
        up.metricsStatus = 200;
        up.metricsPage = "this is { not prometheus\n";
        await("a bad page is counted", () -> String.valueOf(p.pool(0).scrapes(0).lastFailure())
            .startsWith("bad /metrics page: line 1: "));
        assertThat(p.pool(0).health(0).ejected()).isFalse();
        HttpResponse<String> r = send(p.url(), "/v1/completions",
            ProxyFixture.completion("hello", 1, false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(CannedUpstream.COMPLETION);
      }
    }
  }
}
