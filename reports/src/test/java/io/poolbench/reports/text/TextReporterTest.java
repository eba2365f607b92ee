package io.poolbench.reports.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.model.SummaryTable;
import io.poolbench.reports.model.ValueKind;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReporterTest {

  private static final SummaryTable TABLE = new SummaryTable(List.of("single", "token-budget"),
      List.of("simulate", "loadgen"), List.of(
          new SummaryTable.Row("gpus", "Fleet", "GPUs", "", ValueKind.INTEGER,
              SummaryTable.Better.LOWER, List.of(358.0, 208.0)),
          new SummaryTable.Row("ttft_p99_ms", "Latency", "TTFT p99", "ms", ValueKind.MILLIS,
              SummaryTable.Better.LOWER, Arrays.asList(74.175, null))));

  @Test
  void render_alignsNumbersRightUnderTheirRun() {
    String text = TextReporter.render(TABLE);
    // each run column is right-aligned to the width of its widest cell (the header)
    assertThat(text).isEqualTo("""
                           single  token-budget
                         simulate       loadgen
        Fleet
          GPUs                358           208
        Latency
          TTFT p99 (ms)     74.18             —
        """);
  }

  @Test
  void render_controlCharactersInLabels_doNotReachTheTerminal() {
    SummaryTable t = new SummaryTable(List.of("a\u001b[31mred"), List.of("simulate"),
        List.of());
    assertThat(TextReporter.render(t)).doesNotContain("\u001b").contains("a?[31mred");
  }
}
