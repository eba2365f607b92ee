package io.poolbench.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromTextValuesTest {

  private static final Set<String> NAMES = Set.of("vllm:num_preemptions_total",
      "vllm:num_requests_waiting");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      plain sample                 | 'vllm:num_preemptions_total 12'                                      | 12.0
      labels and timestamp         | 'vllm:num_preemptions_total{engine="0",model_name="m"} 3.0 1700000000' | 3.0
      braces and quotes in a label | 'vllm:num_preemptions_total{model_name="a}b\\"c"} 5'                 | 5.0
      scientific notation          | 'vllm:num_preemptions_total{engine="0"} 1.5e3'                      | 1500.0
      carriage return              | 'vllm:num_preemptions_total 4\r'                                      | 4.0
      """)
  void sums_oneSample_readsItsValue(String name, String line, double expected) {
    assertThat(PromTextValues.sums(line, NAMES)).containsEntry("vllm:num_preemptions_total",
        expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      comment only      | '# TYPE vllm:num_preemptions_total counter'
      other metric      | 'vllm:num_preemptions_created 1.7e9'
      prefix of a name  | 'vllm:num_preemptions_total_x 3'
      """)
  void sums_noWantedSample_isAbsent(String name, String line) {
    assertThat(PromTextValues.sums(line, NAMES)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not a number      | 'vllm:num_preemptions_total abc'
      unclosed labels   | 'vllm:num_preemptions_total{engine="0" 3'
      an HTML page      | '<html><body>502 Bad Gateway</body></html>'
      """)
  void sums_pageThatIsNotPrometheusText_failsNamingTheLine(String name, String line) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PromTextValues.sums(line, NAMES))
        .isInstanceOf(io.poolbench.router.server.signal.PrometheusFormatException.class)
        .hasMessageContaining("line 1");
  }

  @org.junit.jupiter.api.Test
  void sums_severalEngineLabelSets_addUp() {
    String text = """
        # HELP vllm:num_preemptions_total Cumulative number of preemption from the engine.
        # TYPE vllm:num_preemptions_total counter
        vllm:num_preemptions_total{engine="0",model_name="m"} 2.0
        vllm:num_preemptions_total{engine="1",model_name="m"} 5.0
        vllm:num_requests_waiting{engine="0",model_name="m"} 7.0
        vllm:num_requests_running{engine="0",model_name="m"} 9.0
        """;
    Map<String, Double> sums = PromTextValues.sums(text, NAMES);
    assertThat(sums).containsOnly(Map.entry("vllm:num_preemptions_total", 7.0),
        Map.entry("vllm:num_requests_waiting", 7.0));
  }
}
