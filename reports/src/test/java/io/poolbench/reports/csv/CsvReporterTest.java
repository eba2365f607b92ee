package io.poolbench.reports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.model.SummaryTable;
import io.poolbench.reports.model.ValueKind;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvReporterTest {

  @Test
  void render_writesRawNumbersOneRowPerFigure() {
    SummaryTable t = new SummaryTable(List.of("single", "a,b"), List.of("simulate", "loadgen"),
        List.of(new SummaryTable.Row("ttft_p99_ms", "Latency", "TTFT p99", "ms",
            ValueKind.MILLIS, SummaryTable.Better.LOWER, Arrays.asList(5369.855, null))));
    assertThat(CsvReporter.render(t)).isEqualTo(
        "metric,group,label,unit,single,\"a,b\"\r\n"
            + "mode,,Run mode,,simulate,loadgen\r\n"
            + "ttft_p99_ms,Latency,TTFT p99,ms,5369.855,\r\n");
  }

  static Stream<Arguments> quoting() {
    return Stream.of(
        Arguments.of("plain", "plain"),
        Arguments.of("with \"quotes\"", "\"with \"\"quotes\"\"\""),
        Arguments.of("line\nbreak", "\"line\nbreak\""),
        Arguments.of("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        Arguments.of("-1+1", "\"'-1+1\""),
        Arguments.of("<script>alert(1)</script>", "<script>alert(1)</script>"));
  }

  @ParameterizedTest
  @MethodSource("quoting")
  void quote_followsRfc4180AndDefusesFormulas(String in, String out) {
    assertThat(CsvReporter.quote(in)).isEqualTo(out);
  }
}
