package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.harness.engine.EngineConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The warm-up answers its requests on a scratch instance and leaves the served ones untouched. */
class MockWarmupTest {

  @Test
  void warmUp_servesOnAScratchInstance_andTheServedEngineStartsFresh() throws Exception {
    InstanceSpec spec = new InstanceSpec("test", 0, MockFixture.MODEL,
        EngineConfig.of(8192, 64, 2048, 4096), MockFixture.fastPerf(), 0);
    try (MockServer server = MockServer.start(MockSettings.defaults(), List.of(spec),
        line -> { }, Duration.ofSeconds(60))) {
      assertThat(server.warmedUp()).isEqualTo(32);
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(server.instances().get(0).url() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(sum(metrics, "vllm:request_success_total")).isZero();
      assertThat(sum(metrics, "vllm:prompt_tokens_total")).isZero();
      assertThat(sum(metrics, "vllm:prefix_cache_queries_total")).isZero();
      assertThat(server.instances()).hasSize(1);
    }
  }

  @Test
  void noWarmUp_byDefault() {
    InstanceSpec spec = new InstanceSpec("test", 0, MockFixture.MODEL,
        EngineConfig.of(4096, 16, 2048, 1024), MockFixture.fastPerf(), 0);
    try (MockServer server = MockServer.start(MockSettings.defaults(), List.of(spec))) {
      assertThat(server.warmedUp()).isZero();
    }
  }

  private static double sum(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
        .matcher(metrics);
    double total = 0;
    boolean found = false;
    while (m.find()) {
      found = true;
      total += Double.parseDouble(m.group(2));
    }
    assertThat(found).as(name + " in " + metrics.length() + " chars of metrics").isTrue();
    return total;
  }
}
