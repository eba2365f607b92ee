package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private MockFixture mock;

  @AfterEach
  void stop() {
    mock.close();
  }

  @Test
  void metrics_parseAsPrometheusTextWithVllmNamesAndLabels() {
    mock = MockFixture.start();
    mock.post("/v1/completions", "{\"prompt\":[1,2,3,4],\"max_tokens\":5,\"ignore_eos\":true}");

    HttpResponse<String> res = mock.get("/metrics");

    assertThat(res.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    PromParse.Exposition e = PromParse.parse(res.body());
    assertThat(e.types()).containsEntry("vllm:num_requests_running", "gauge")
        .containsEntry("vllm:num_requests_waiting", "gauge")
        .containsEntry("vllm:kv_cache_usage_perc", "gauge")
        .containsEntry("vllm:num_preemptions_total", "counter")
        .containsEntry("vllm:prompt_tokens_total", "counter")
        .containsEntry("vllm:generation_tokens_total", "counter")
        .containsEntry("vllm:request_success_total", "counter")
        .containsEntry("vllm:time_to_first_token_seconds", "histogram")
        .containsEntry("vllm:inter_token_latency_seconds", "histogram")
        .containsEntry("vllm:e2e_request_latency_seconds", "histogram")
        .containsEntry("vllm:request_queue_time_seconds", "histogram")
        .doesNotContainKey("vllm:gpu_cache_usage_perc")
        .doesNotContainKey("vllm:time_per_output_token_seconds");
    for (PromParse.Sample s : e.samples()) {
      assertThat(s.labels()).containsEntry("engine", "0");
      if (!s.name().equals("vllm:cache_config_info")) {
        assertThat(s.labels()).containsEntry("model_name", "my-model");
      }
    }
    String text = res.body();
    assertThat(PromParse.value(text, "vllm:prompt_tokens_total")).isEqualTo(4);
    assertThat(PromParse.value(text, "vllm:generation_tokens_total")).isEqualTo(5);
    assertThat(PromParse.value(text, "vllm:time_to_first_token_seconds_count")).isEqualTo(1);
    assertThat(PromParse.value(text, "vllm:inter_token_latency_seconds_count")).isEqualTo(4);
    assertThat(PromParse.value(text, "vllm:request_success_total", "finished_reason", "length"))
        .isEqualTo(1);
    List<String> ttftBounds = e.samples().stream()
        .filter(s -> s.name().equals("vllm:time_to_first_token_seconds_bucket"))
        .map(s -> s.labels().get("le")).toList();
    assertThat(ttftBounds).containsExactly("0.001", "0.005", "0.01", "0.02", "0.04", "0.06",
        "0.08", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "20.0", "40.0",
        "80.0", "160.0", "640.0", "2560.0", "+Inf");
  }

  @Test
  void legacyNames_switch_exposesTheV010Names() {
    mock = MockFixture.start(MockFixture.settings().withMetricsStyle(MetricsStyle.V0_10),
        MockFixture.spec(2048, 8, 512));

    Set<String> families = PromParse.parse(mock.metrics()).types().keySet().stream()
        .collect(Collectors.toSet());

    assertThat(families).contains("vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc",
        "vllm:time_per_output_token_seconds").doesNotContain("vllm:inter_token_latency_seconds");
  }
}
