package io.poolbench.harness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.router.server.ProxyServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Context-length fallback (a misroute retried in the long pool and counted), usage feedback into
 * the estimator, and the router's own endpoints.
 */
@Timeout(60)
class ProxyFallbackAndLearningTest {

  private static ProxyFixture f;

  @BeforeAll
  static void start() {
    f = ProxyFixture.twoPools(1, 1, 64, ProxyFixture.policy(), s -> s.withStateKey("k3y"));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private long misroutes(int pool) {
    return f.proxy.router().metrics().misroutes(pool);
  }

  @Test
  void digitsPrompt_underestimated_retriedInLongPoolAndCounted() {
    // ~7,000 digits: 1,750 tokens at the default 4.0 bytes/token, about 2,300 in truth
    String prompt = ProxyFixture.digits(7_000, 5);
    long before = misroutes(0);
    HttpResponse<String> direct = f.post(f.instance(0, 0).url(), "/v1/completions",
        ProxyFixture.completion(prompt, 16, false), Map.of());
    assertThat(direct.statusCode()).as("the short pool itself rejects it").isEqualTo(400);

    HttpResponse<String> r = f.post("/v1/completions",
        ProxyFixture.completion(prompt, 16, false));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("long");
    assertThat(misroutes(0)).isEqualTo(before + 1);
    assertThat(f.proxy.metrics().fallbacks(0)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void digitsPrompt_streaming_retriedBeforeAnyByteReachesTheClient() {
    long before = misroutes(0);
    HttpResponse<String> r = f.post("/v1/completions",
        ProxyFixture.completion(ProxyFixture.digits(7_000, 6), 16, true));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("long");
    assertThat(r.body()).startsWith("data: {").endsWith("data: [DONE]\n\n")
        .doesNotContain("maximum context length");
    assertThat(misroutes(0)).isEqualTo(before + 1);
  }

  @Test
  void tooLongForEveryPool_getsTheLongPoolsContextError() {
    HttpResponse<String> r = f.post("/v1/completions",
        ProxyFixture.completion(ProxyFixture.prose(100, 7), 20_000, false));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("maximum context length");
    assertThat(r.headers().firstValue(ProxyServer.POOL_HEADER)).hasValue("long");
  }

  @Test
  void usage_fromPlainAndStreamedResponses_calibratesTheCategory() {
    int category = f.proxy.router().estimator().categoryIndex("learn-me");
    long before = f.proxy.router().estimator().samples(category);
    Map<String, String> header = Map.of("x-poolbench-category", "learn-me");
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> r = f.post(f.proxy.url(), "/v1/completions",
          ProxyFixture.completion(ProxyFixture.prose(1_500, 100 + i), 8, i % 2 == 0), header);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      // the client did not ask for usage in streams: the chunk the router added is gone
      if (i % 2 == 0) {
        assertThat(r.body()).doesNotContain("\"usage\":{");
      }
    }
    assertThat(f.proxy.router().estimator().samples(category)).isEqualTo(before + 12);
    assertThat(f.proxy.router().estimator().calibrated(category)).isTrue();
    // English-like text runs well above the default 4.0 bytes per token
    assertThat(f.proxy.router().estimator().meanRatio(category)).isGreaterThan(4.3);
  }

  @Test
  void clientAskingForUsage_inStream_keepsItsUsageChunk() {
    String body = "{\"model\":\"my-model\",\"prompt\":\"" + ProxyFixture.prose(400, 9)
        + "\",\"max_tokens\":4,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    HttpResponse<String> r = f.post("/v1/completions", body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"choices\":[],\"usage\":{");
  }

  @Test
  void metrics_exposeRouterAndServiceSeries() {
    f.post("/v1/completions", ProxyFixture.completion(ProxyFixture.prose(300, 10), 4, false));
    String text = f.get("/metrics").body();
    assertThat(text).contains("poolbench_router_requests_total{pool=\"short\",category=")
        .contains("poolbench_router_decision_seconds_bucket{le=\"+Inf\"}")
        .contains("poolbench_router_prompt_estimate_error_tokens_count")
        .contains("poolbench_router_misroutes_total{pool=\"short\"}")
        .contains("poolbench_router_spillovers_total{pool=\"long\"}")
        .contains("poolbench_router_category_bytes_per_token{category=\"_default\",kind=\"mean\"}")
        .contains("poolbench_router_upstream_latency_seconds_bucket{pool=\"short\",le=\"+Inf\"}")
        .contains("poolbench_router_endpoint_up{pool=\"long\",endpoint=");
  }

  @Test
  void state_needsTheKey_andShowsPoolsAndCategories() {
    assertThat(f.get("/router/state").statusCode()).isEqualTo(401);
    HttpResponse<String> r = f.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(f.proxy.url() + "/router/state"))
        .header("Authorization", "Bearer k3y").GET().build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"policy\":\"token-budget\"").contains("\"name\":\"short\"")
        .contains("\"max_model_len\":16384").contains("\"name\":\"_default\"")
        .contains("\"available\":true");
  }

  @Test
  void models_unionOfPools_withTheLargestContext() {
    HttpResponse<String> r = f.get("/v1/models");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"id\":\"my-model\"").contains("\"max_model_len\":16384")
        .doesNotContain("\"max_model_len\":2048");
    assertThat(f.get("/health").statusCode()).isEqualTo(200);
  }
}
