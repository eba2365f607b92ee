package io.poolbench.harness.proxy;

import static io.poolbench.harness.proxy.ProxyFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.server.ProxyServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults through the router: spillover under pressure, a client that disconnects, an engine that
 * dies mid-stream, a silent upstream, and byte-identical streams compared with going direct.
 */
@Timeout(60)
class ProxyFaultTest {

  private static String longStream(int seed) {
    return ProxyFixture.completion(ProxyFixture.prose(300, seed), 16, true);
  }

  @Test
  void pressureAtSpillLevel_spillsToLongPool_andDisconnectCancelsUpstream() throws Exception {
    var policy = ProxyFixture.policy().withSpillover(true).withSpillPressure(0.5);
    try (ProxyFixture f = ProxyFixture.twoPools(1, 1, 2, policy, s -> s)) {
      MockInstance shortEngine = f.instance(0, 0);
      shortEngine.slowDown(2_000, 20_000_000_000L);
      try (RawHttp held = new RawHttp(f.proxy.url())) {
        String head = held.post("/v1/completions", longStream(1).getBytes(StandardCharsets.UTF_8),
            "").readUntil("\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200").contains("x-poolbench-pool: short");
        await("the held stream runs on the short engine", () -> shortEngine.load() == 1);
        // short pool pressure is now 1/2 = the spill level; the long pool is idle
        HttpResponse<String> r = f.post("/v1/completions",
            ProxyFixture.completion(ProxyFixture.prose(200, 2), 4, false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("long");
        assertThat(f.proxy.router().metrics().spillovers(1)
            + f.proxy.router().metrics().spillovers(0)).isEqualTo(1);
      }
      // the client went away: the router closes the upstream request, the engine aborts it
      await("the engine dropped the abandoned request", () -> shortEngine.load() == 0);
      await("the pool's in-flight count returned to 0", () -> f.proxy.load().inFlight(0) == 0);
    }
  }

  @Test
  void engineKilledMidStream_cleanErrorsThenTrafficAvoidsIt() throws Exception {
    try (ProxyFixture f = ProxyFixture.twoPools(2, 1, 64, ProxyFixture.policy(), s -> s)) {
      MockInstance doomed = f.instance(0, 0);
      MockInstance survivor = f.instance(0, 1);
      doomed.slowDown(2_000, 20_000_000_000L);
      survivor.slowDown(200, 20_000_000_000L);
      // the futures complete when each response head has arrived (the body is read after the kill)
      List<CompletableFuture<HttpResponse<java.util.stream.Stream<String>>>> streams =
          new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        streams.add(f.http.sendAsync(HttpRequest.newBuilder(URI.create(f.proxy.url()
                + "/v1/completions")).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(longStream(10 + i))).build(),
            HttpResponse.BodyHandlers.ofLines()));
      }
      String doomedName = doomed.url().substring("http://".length());
      List<HttpResponse<java.util.stream.Stream<String>>> heads = new ArrayList<>();
      for (CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> s : streams) {
        HttpResponse<java.util.stream.Stream<String>> r = s.get();
        assertThat(r.statusCode()).isEqualTo(200);
        heads.add(r);
      }
      assertThat(heads).as("some streams run on the engine about to die")
          .anyMatch(r -> r.headers().firstValue(ProxyServer.ENDPOINT_HEADER).orElseThrow()
              .equals(doomedName));
      doomed.kill("test: killed mid-stream");
      int failed = 0;
      for (HttpResponse<java.util.stream.Stream<String>> r : heads) {
        String body;
        try (java.util.stream.Stream<String> lines = r.body()) {
          body = lines.map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
        }
        assertThat(body).as("every stream ends cleanly").endsWith("data: [DONE]\n\n");
        if (r.headers().firstValue(ProxyServer.ENDPOINT_HEADER).orElseThrow()
            .equals(doomedName)) {
          assertThat(body).contains("data: {\"error\":");
          failed++;
        }
      }
      assertThat(failed).isPositive();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = f.post("/v1/completions",
            ProxyFixture.completion(ProxyFixture.prose(200, 20 + i), 2, false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue(ProxyServer.ENDPOINT_HEADER))
            .hasValue(survivor.url().substring("http://".length()));
      }
      assertThat(f.proxy.pool(0).health(0).ejected()).isTrue();
    }
  }

  @Test
  void silentUpstream_firstByteTimeout_gives504Envelope() throws Exception {
    try (ProxyFixture f = ProxyFixture.twoPools(1, 1, 64, ProxyFixture.policy(),
        s -> s.withTimeouts(2_000, 300_000_000L, 300_000_000L).withRetries(0))) {
      // retries off: with them the long pool would serve it (ProxyRetryTest covers that)
      f.instance(0, 0).slowDown(100_000, 20_000_000_000L);
      HttpResponse<String> r = f.post("/v1/completions",
          ProxyFixture.completion(ProxyFixture.prose(200, 3), 4, false));
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(r.body()).contains("\"type\":\"GatewayTimeout\"").contains("did not answer");
    }
  }

  @Test
  void mockStreamThroughRouter_sameEventsAsDirect() throws Exception {
    // two identical single-engine fleets with the same seed: one behind the router, one direct
    List<PoolSpec> one = List.of(new PoolSpec("only", ProxyFixture.LONG_LEN, 64));
    try (ProxyFixture routed = new ProxyFixture(one, new int[] {1}, ProxyFixture.policy(),
            s -> s, 77);
        MockServer direct = MockServer.start(ProxyFixture.mockSettings(77),
            List.of(ProxyFixture.spec("only", 0, ProxyFixture.LONG_LEN)))) {
      for (boolean stream : new boolean[] {true, false}) {
        String body = ProxyFixture.completion(ProxyFixture.prose(900, 4), 12, stream);
        Map<String, String> id = Map.of("X-Request-Id", "same-id-" + stream);
        HttpResponse<String> a = routed.post(routed.proxy.url(), "/v1/completions", body, id);
        HttpResponse<String> b = routed.post(direct.instances().get(0).url(), "/v1/completions",
            body, id);
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(normalize(a.body())).isEqualTo(normalize(b.body()));
        assertThat(a.body().length()).isGreaterThan(200);
        assertThat(a.headers().firstValue("content-type"))
            .isEqualTo(b.headers().firstValue("content-type"));
      }
    }
  }

  /**
   * The mock draws output text from a per-request random seed and stamps wall-clock seconds, so
   * text and {@code created} may differ; everything else must match ({@link
   * ProxyStreamBytesTest} checks exact bytes against a fixed upstream).
   */
  private static String normalize(String body) {
    return body.replaceAll("\"created\":\\d+", "\"created\":0")
        .replaceAll("\"text\":\"(?:[^\"\\\\]|\\\\.)*\"", "\"text\":\"\"");
  }
}
