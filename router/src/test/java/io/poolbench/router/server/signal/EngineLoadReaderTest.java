package io.poolbench.router.server.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.router.pick.LoadSignal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineLoadReaderTest {

  static Stream<Arguments> pages() {
    return Stream.of(
        Arguments.argumentSet("v0.11 labelled", """
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="m"} 7.0
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{engine="0",model_name="m"} 3.0
            # TYPE vllm:kv_cache_usage_perc gauge
            vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.42
            vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} 9.0
            """, new LoadSignal(3, 7, 0.42, 5)),
        Arguments.argumentSet("old name only, unlabelled", """
            vllm:num_requests_running 2
            vllm:num_requests_waiting 0
            vllm:gpu_cache_usage_perc 0.9
            """, new LoadSignal(0, 2, 0.9, 5)),
        Arguments.argumentSet("both names: the V1 one wins", """
            vllm:num_requests_running 1
            vllm:num_requests_waiting 1
            vllm:gpu_cache_usage_perc 0.9
            vllm:kv_cache_usage_perc 0.3
            """, new LoadSignal(1, 1, 0.3, 5)),
        Arguments.argumentSet("two data-parallel ranks: counts summed, largest KV", """
            vllm:num_requests_running{engine="0"} 4
            vllm:num_requests_running{engine="1"} 5
            vllm:num_requests_waiting{engine="0"} 1
            vllm:num_requests_waiting{engine="1"} 2
            vllm:kv_cache_usage_perc{engine="0"} 0.2
            vllm:kv_cache_usage_perc{engine="1"} 0.7
            """, new LoadSignal(3, 9, 0.7, 5)),
        Arguments.argumentSet("no KV gauge, NaN KV ignored, over 1 clamped", """
            vllm:num_requests_running 0
            vllm:num_requests_waiting 0
            vllm:kv_cache_usage_perc{engine="0"} NaN
            vllm:kv_cache_usage_perc{engine="1"} 1.2
            """, new LoadSignal(0, 0, 1.0, 5)),
        Arguments.argumentSet("no KV gauge at all", """
            vllm:num_requests_running 0
            vllm:num_requests_waiting 6
            """, new LoadSignal(6, 0, 0.0, 5)));
  }

  @ParameterizedTest
  @MethodSource("pages")
  void page_readsSummedCountsAndKvUsage(String page, LoadSignal expected) {
    assertThat(EngineLoadReader.read(page, 5)).isEqualTo(expected);
  }

  static Stream<Arguments> notVllm() {
    return Stream.of(
        Arguments.argumentSet("no running gauge", "vllm:num_requests_waiting 1\n",
            "no vllm:num_requests_running sample (is this a vLLM /metrics page?)"),
        Arguments.argumentSet("no waiting gauge", "vllm:num_requests_running 1\n",
            "no vllm:num_requests_waiting sample (is this a vLLM /metrics page?)"),
        Arguments.argumentSet("negative count",
            "vllm:num_requests_running -1\nvllm:num_requests_waiting 0\n",
            "vllm:num_requests_running is -1.0, not a count"),
        Arguments.argumentSet("NaN count",
            "vllm:num_requests_running 1\nvllm:num_requests_waiting NaN\n",
            "vllm:num_requests_waiting is NaN, not a count"),
        Arguments.argumentSet("infinite count",
            "vllm:num_requests_running +Inf\nvllm:num_requests_waiting 0\n",
            "vllm:num_requests_running is Infinity, not a count"));
  }

  @ParameterizedTest
  @MethodSource("notVllm")
  void pageWithoutUsableGauges_fails(String page, String message) {
    assertThatThrownBy(() -> EngineLoadReader.read(page, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
