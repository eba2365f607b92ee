package io.poolbench.harness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.mock.MockInstance;
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
 * A burst opens one upstream connection per request in flight; once the burst is over the router
 * closes the pooled connections that stay idle, instead of holding them for as long as the engine
 * keeps them open (the mock never closes an idle keep-alive connection, so only the router can).
 */
@Timeout(60)
class ProxyPooledIdleTest {

  @Test
  void burstsPooledConnections_areClosedOnceIdle_andTheNextRequestStillWorks() throws Exception {
    try (ProxyFixture f = ProxyFixture.twoPools(1, 1, 64, ProxyFixture.policy(), s -> s);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      MockInstance upstream = f.instance(0, 0);
      int before = upstream.openConnections();
      List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        burst.add(http.sendAsync(HttpRequest.newBuilder(URI.create(f.proxy.url()
                + "/v1/completions")).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ProxyFixture.completion(
                ProxyFixture.prose(200, i), 256, true))).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      int peak = 0;
      while (!burst.stream().allMatch(CompletableFuture::isDone)) {
        peak = Math.max(peak, upstream.openConnections());
        Thread.sleep(5);
      }
      for (CompletableFuture<HttpResponse<String>> r : burst) {
        assertThat(r.get().statusCode()).isEqualTo(200);
      }
      // On a loaded machine a request may finish before the last one is sent and its connection
      // be reused, so the burst need not reach one connection per request; it must reach most.
      assertThat(peak).as("connections open during the burst (%d before it)", before)
          .isGreaterThanOrEqualTo(before + 8);

      // the fixture's health probes (every 200 ms) and load scrapes (every 500 ms) keep one pooled
      // connection each busy on each of the router's two event loops: four stay open all along
      int allowed = 4;
      long deadline = System.nanoTime() + 15_000_000_000L;
      int open = upstream.openConnections();
      while (open > allowed && System.nanoTime() < deadline) {
        Thread.sleep(20);
        open = upstream.openConnections();
      }
      assertThat(open).as("connections still open 15 s after a burst that peaked at %d", peak)
          .isLessThanOrEqualTo(allowed);

      HttpResponse<String> next = f.post("/v1/completions",
          ProxyFixture.completion(ProxyFixture.prose(200, 99), 2, false));
      assertThat(next.statusCode()).isEqualTo(200);
    }
  }
}
