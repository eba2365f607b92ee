package io.poolbench.router.server.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextParserTest {

  @Test
  void vllmPage_commentsLabelsAndSpecialValues_parsed() {
    String page = """
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="my-model"} 8.0
        # a free comment, skipped

        vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 12
        odd_metric{path="C:\\\\tmp",quote="say \\"hi\\"",nl="a\\nb",} NaN 1700000000000
        up -Inf
        \tspaced_metric   { a = "1" }   +Inf   -5
        exp_metric 1.5e-3
        """.replace("\n", "\r\n");
    List<MetricSample> s = PrometheusTextParser.parse(page);
    assertThat(s).extracting(MetricSample::name).containsExactly("vllm:num_requests_running",
        "vllm:e2e_request_latency_seconds_bucket", "odd_metric", "up", "spaced_metric",
        "exp_metric");
    assertThat(s.get(0).labels()).isEqualTo(Map.of("engine", "0", "model_name", "my-model"));
    assertThat(s.get(0).value()).isEqualTo(8.0);
    assertThat(s.get(0).hasTimestamp()).isFalse();
    assertThat(s.get(1).label("le")).isEqualTo("+Inf");
    assertThat(s.get(2).labels()).isEqualTo(Map.of("path", "C:\\tmp", "quote", "say \"hi\"",
        "nl", "a\nb"));
    assertThat(s.get(2).value()).isNaN();
    assertThat(s.get(2).timestampMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(s.get(3).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(s.get(4).labels()).isEqualTo(Map.of("a", "1"));
    assertThat(s.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(s.get(4).timestampMillis()).isEqualTo(-5);
    assertThat(s.get(5).value()).isEqualTo(0.0015);
  }

  @Test
  void filter_keepsOnlyWantedNames_butChecksEveryLine() {
    String page = "a 1\nb{x=\"y\"}2\n";
    assertThat(PrometheusTextParser.parse(page, Set.of("b"))).singleElement()
        .extracting(MetricSample::value).isEqualTo(2.0);
    assertThatThrownBy(() -> PrometheusTextParser.parse(page + "c{x=\"1} 3\n", Set.of("b")))
        .isInstanceOf(PrometheusFormatException.class).hasMessageStartingWith("line 3: ");
    assertThatThrownBy(() -> PrometheusTextParser.parse(page + "c 1.2.3\n", Set.of("b")))
        .isInstanceOf(PrometheusFormatException.class)
        .hasMessage("line 3: '1.2.3' is not a sample value (a number, NaN, +Inf or -Inf)");
  }

  @Test
  void emptyPage_noSamples() {
    assertThat(PrometheusTextParser.parse("")).isEmpty();
    assertThat(PrometheusTextParser.parse("\n\n# only comments\n")).isEmpty();
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.argumentSet("unknown type", "# TYPE x flavour\n",
            "line 1: unknown metric type 'flavour' (expected one of counter, gauge, histogram, "
                + "summary, untyped)"),
        Arguments.argumentSet("help without name", "# HELP\n",
            "line 1: # HELP without a metric name"),
        Arguments.argumentSet("no value", "x\n", "line 1: expected a value after 'x'"),
        Arguments.argumentSet("no value after labels", "x{a=\"1\"}  \n",
            "line 1: expected a value after 'x'"),
        Arguments.argumentSet("bad character in name", "x-y 1\n",
            "line 1: unexpected '-' in metric name 'x'"),
        Arguments.argumentSet("java-only number", "x 1d\n",
            "line 1: '1d' is not a sample value (a number, NaN, +Inf or -Inf)"),
        Arguments.argumentSet("hex number", "x 0x10\n",
            "line 1: '0x10' is not a sample value (a number, NaN, +Inf or -Inf)"),
        Arguments.argumentSet("two dots", "x 1.2.3\n",
            "line 1: '1.2.3' is not a sample value (a number, NaN, +Inf or -Inf)"),
        Arguments.argumentSet("exponent without digits", "x 1e\n",
            "line 1: '1e' is not a sample value (a number, NaN, +Inf or -Inf)"),
        Arguments.argumentSet("Java's Infinity", "x Infinity\n",
            "line 1: 'Infinity' is not a sample value (a number, NaN, +Inf or -Inf)"),
        Arguments.argumentSet("bad value on an unwanted line is still caught", "y 1\nx abc\n",
            "line 2: 'abc' is not a sample value (a number, NaN, +Inf or -Inf)"),
        Arguments.argumentSet("fractional timestamp", "x 1 1.5\n",
            "line 1: '1.5' is not a timestamp (integer milliseconds)"),
        Arguments.argumentSet("text after timestamp", "x 1 2 3\n",
            "line 1: unexpected text after the timestamp: '3'"),
        Arguments.argumentSet("unclosed label value", "ok 1\nx{a=\"1} 2\n",
            "line 2: the value of label 'a' is not closed"),
        Arguments.argumentSet("bad escape", "x{a=\"\\t\"} 1\n",
            "line 1: bad escape '\\t' in the value of label 'a' (expected \\\\, \\\" or \\n)"),
        Arguments.argumentSet("unquoted label value", "x{a=1} 1\n",
            "line 1: expected '\"' to open the value of label 'a'"),
        Arguments.argumentSet("duplicate label", "x{a=\"1\",a=\"2\"} 1\n",
            "line 1: label 'a' appears twice"),
        Arguments.argumentSet("missing comma", "x{a=\"1\" b=\"2\"} 1\n",
            "line 1: expected ',' or '}' after the value of label 'a'"),
        Arguments.argumentSet("name starts with a digit", "1x 1\n",
            "line 1: expected a metric name at '1x 1'"),
        Arguments.argumentSet("colon in label name", "x{a:b=\"1\"} 1\n",
            "line 1: expected '=' after label 'a'"));
  }

  @ParameterizedTest
  @MethodSource("broken")
  void brokenLine_failsNamingLineAndProblem(String page, String message) {
    assertThatThrownBy(() -> PrometheusTextParser.parse(page))
        .isInstanceOf(PrometheusFormatException.class).hasMessage(message);
  }
}
