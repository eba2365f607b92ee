package io.poolbench.harness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.server.LoadSignalSettings;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Prefix affinity through the real router over loopback HTTP in front of four mock engines:
 * conversations whose turns repeat the previous prompt keep going to the endpoint that served
 * their first turn, different conversations spread, and once that endpoint carries more than the
 * load bound a turn goes elsewhere.
 */
@Timeout(90)
class ProxyPrefixAffinityTest {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> complete(String url, String prompt, int maxTokens) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ProxyFixture.completion(prompt, maxTokens,
            false))).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String endpoint(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue(ProxyServer.ENDPOINT_HEADER).orElseThrow();
  }

  @Test
  void turnsFollowTheirConversation_untilTheLoadBound() throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // 20 ms a step in real time: a 100-token answer holds its endpoint for about 2 s
      specs.add(new InstanceSpec("only", i, ProxyFixture.MODEL,
          EngineConfig.of(16_384, 8, 4096, 4096), new AffinePerfModel(20_000_000L, 0, 8192), 0));
    }
    try (MockServer mock = MockServer.start(ProxyFixture.mockSettings(5).withTimeScale(1),
        specs)) {
      List<URI> urls = mock.instances().stream().map(m -> URI.create(m.url())).toList();
      RouterSettings router = new RouterSettings(List.of(new PoolSpec("only", 16_384, 64)),
          "single", ProxyFixture.policy(), EstimatorSettings.DEFAULTS);
      try (ProxyServer p = ProxyServer.start(ProxySettings.defaults(router, List.of(urls))
          .withIoThreads(2).withLoadSignals(LoadSignalSettings.OFF).withPicker("prefix-affinity"))) {
        // 8 conversations, 3 turns each, one request at a time: each turn's prompt is the
        // previous one plus ~2 KiB more
        Set<String> homes = new HashSet<>();
        for (int c = 0; c < 8; c++) {
          String prompt = ProxyFixture.prose(3000, 100 + c);
          String home = endpoint(complete(p.url(), prompt, 2));
          homes.add(home);
          for (int turn = 1; turn < 3; turn++) {
            prompt = prompt + " " + ProxyFixture.prose(2100, 1000 * c + turn);
            assertThat(endpoint(complete(p.url(), prompt, 2)))
                .as("conversation %d turn %d", c, turn).isEqualTo(home);
          }
        }
        assertThat(homes).as("first turns spread like least-requests").hasSize(4);

        // load: two long answers of one conversation in flight at its endpoint; the bound is
        // ceil(1.25 × (2 + 1) / 4) = 1, so the next turn goes to an idle endpoint
        String prompt = ProxyFixture.prose(5000, 7);
        String home = endpoint(complete(p.url(), prompt, 2));
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create(p.url()
                  + "/v1/completions")).timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(ProxyFixture.completion(
                  prompt + " again " + i, 100, false))).build(),
              HttpResponse.BodyHandlers.ofString()));
          // let the router dispatch it before the next one
          ProxyFixture.await("dispatch " + i, () -> totalOutstanding(p) == inFlight.size());
        }
        assertThat(p.pool(0).endpoints().outstandingRequests(indexOf(p, home)))
            .as("while its load allowed, both went home").isEqualTo(2);
        String second = endpoint(complete(p.url(), prompt + " third", 2));
        assertThat(second).isNotEqualTo(home);
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
          assertThat(endpoint(f.get())).isEqualTo(home);
        }
        // drained: affinity holds again, to the endpoint that served the prefix last (both
        // engines now cache it)
        assertThat(endpoint(complete(p.url(), prompt + " fourth", 2))).isEqualTo(second);

        // /metrics counts the picks by result: 16 follow-up turns + 2 loaded + 1 drained hits,
        // 8 first turns and the first long prompt missed, one over the bound
        String metrics = http.send(HttpRequest.newBuilder(URI.create(p.url() + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
            "poolbench_router_pool_prefix_affinity_picks_total\\{pool=\"only\",result=\"(\\w+)\"} "
                + "(\\d+)").matcher(metrics);
        java.util.Map<String, Integer> picks = new java.util.HashMap<>();
        while (m.find()) {
          picks.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertThat(picks).as(metrics).containsEntry("hit", 19).containsEntry("miss", 9)
            .containsEntry("over_load", 1);
      }
    }
  }

  private static long totalOutstanding(ProxyServer p) {
    long total = 0;
    for (int i = 0; i < p.pool(0).endpoints().size(); i++) {
      total += p.pool(0).endpoints().outstandingRequests(i);
    }
    return total;
  }

  private static int indexOf(ProxyServer p, String name) {
    for (int i = 0; i < p.pool(0).endpoints().size(); i++) {
      if (p.pool(0).endpoints().name(i).equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no endpoint " + name);
  }
}
