package io.poolbench.harness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.mock.MockServer;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.server.ProxyMetrics.Retry;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failures before any byte reached the client are retried on another endpoint: an engine in a
 * 503 window, a dead port, a silent engine (first-byte timeout); with {@code retries: 0} the
 * client sees the failure. The least-requests picker starts at endpoint 0 on an idle pool, so
 * the first request always meets the failing endpoint 0.
 */
@Timeout(60)
class ProxyRetryTest {

  private static String shortRequest(int seed) {
    return ProxyFixture.completion(ProxyFixture.prose(200, seed), 2, false);
  }

  private static String endpointOf(HttpResponse<String> r) {
    return r.headers().firstValue(ProxyServer.ENDPOINT_HEADER).orElse("");
  }

  @Test
  void engineAnswering503_retriedOnTheOther_andEjected() throws Exception {
    try (ProxyFixture f = ProxyFixture.twoPools(2, 1, 64, ProxyFixture.policy(), s -> s)) {
      f.instance(0, 0).failFor(503, 30_000_000_000L);
      String healthy = f.instance(0, 1).url().substring("http://".length());
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = f.post("/v1/completions", shortRequest(i));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(endpointOf(r)).isEqualTo(healthy);
      }
      assertThat(f.proxy.metrics().retries(Retry.STATUS_503)).isPositive();
      assertThat(f.proxy.pool(0).health(0).ejections()).isPositive();
      assertThat(f.get("/metrics").body())
          .containsPattern("poolbench_router_retries_total\\{reason=\"status_503\"} [1-9]")
          .contains("poolbench_router_upstream_failures_total{kind=\"status_5xx\"}");
    }
  }

  @Test
  void retriesOff_clientSeesThe503() throws Exception {
    try (ProxyFixture f = ProxyFixture.twoPools(2, 1, 64, ProxyFixture.policy(),
        s -> s.withRetries(0))) {
      f.instance(0, 0).failFor(503, 30_000_000_000L);
      HttpResponse<String> r = f.post("/v1/completions", shortRequest(1));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(endpointOf(r)).isEqualTo(f.instance(0, 0).url().substring("http://".length()));
      for (Retry reason : Retry.values()) {
        assertThat(f.proxy.metrics().retries(reason)).isZero();
      }
    }
  }

  @Test
  void deadPort_connectRetriedOnTheOther_orA502WithRetriesOff() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort();
    }
    try (MockServer mock = MockServer.start(ProxyFixture.mockSettings(3),
        List.of(ProxyFixture.spec("only", 0, ProxyFixture.LONG_LEN)))) {
      String live = mock.instances().get(0).url();
      List<URI> urls = List.of(URI.create("http://127.0.0.1:" + dead), URI.create(live));
      RouterSettings router = new RouterSettings(
          List.of(new PoolSpec("only", ProxyFixture.LONG_LEN, 64)), "single",
          ProxyFixture.policy(), EstimatorSettings.DEFAULTS);
      for (int retries : new int[] {1, 0}) {
        ProxySettings settings = ProxySettings.defaults(router, List.of(urls)).withIoThreads(1)
            .withRetries(retries);
        try (ProxyServer proxy = ProxyServer.start(settings);
            HttpClient http = HttpClient.newHttpClient()) {
          List<Integer> statuses = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create(proxy.url() + "/v1/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(shortRequest(i))).build(),
                HttpResponse.BodyHandlers.ofString());
            statuses.add(r.statusCode());
            if (r.statusCode() == 200) {
              assertThat(endpointOf(r)).isEqualTo(live.substring("http://".length()));
            } else {
              assertThat(r.body()).contains("could not connect to 127.0.0.1:" + dead)
                  .contains("\"type\":\"BadGateway\"");
            }
          }
          if (retries == 1) {
            assertThat(statuses).containsOnly(200);
            assertThat(proxy.metrics().retries(Retry.CONNECT)).isPositive();
          } else {
            assertThat(statuses).first().isEqualTo(502);
            assertThat(statuses).endsWith(200, 200); // the dead endpoint is ejected
          }
        }
      }
    }
  }

  @Test
  void silentEngine_firstByteTimeoutRetriedOnTheOther() throws Exception {
    try (ProxyFixture f = ProxyFixture.twoPools(2, 1, 64, ProxyFixture.policy(),
        s -> s.withTimeouts(2_000, 400_000_000L, 5_000_000_000L))) {
      f.instance(0, 0).slowDown(100_000, 20_000_000_000L);
      HttpResponse<String> r = f.post("/v1/completions", shortRequest(4));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(endpointOf(r)).isEqualTo(f.instance(0, 1).url().substring("http://".length()));
      assertThat(f.proxy.metrics().retries(Retry.FIRST_BYTE_TIMEOUT)).isEqualTo(1);
    }
  }

  @Test
  void noOtherEndpoint_clientSeesTheFailure_noRetryCounted() throws Exception {
    List<PoolSpec> one = List.of(new PoolSpec("only", ProxyFixture.LONG_LEN, 64));
    try (ProxyFixture f = new ProxyFixture(one, new int[] {1}, ProxyFixture.policy(),
        s -> s.withTimeouts(2_000, 400_000_000L, 5_000_000_000L), 31)) {
      f.instance(0, 0).failFor(503, 1_000_000_000L);
      HttpResponse<String> r = f.post("/v1/completions", shortRequest(7));
      assertThat(r.statusCode()).isEqualTo(503);
      Thread.sleep(1_100); // the 503 window ends; the probes re-admit the engine
      f.instance(0, 0).slowDown(100_000, 20_000_000_000L);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (f.proxy.pool(0).health(0).ejected() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      HttpResponse<String> slow = f.post("/v1/completions", shortRequest(8));
      assertThat(slow.statusCode()).as(slow.body()).isEqualTo(504);
      for (Retry reason : Retry.values()) {
        assertThat(f.proxy.metrics().retries(reason)).isZero();
      }
    }
  }
}
