package io.poolbench.traces.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.traces.SharedTraces;
import io.poolbench.traces.format.FileTraceSource;
import io.poolbench.traces.format.ReadOptions;
import io.poolbench.traces.format.TraceFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reproduces every statistic that ../shared/traces/README.md gives for the real Azure 2023
 * traces, exactly as rounded there. Peak rates use windows aligned to the first arrival (the
 * README's per-minute table starts at minute 0 = first arrival).
 */
class RealAzureTracesTest {
  private static final List<Integer> THRESHOLDS = List.of(2048, 4096, 8192, 16384, 32768);

  private static TraceStats stats(String file) {
    FileTraceSource source =
        new FileTraceSource(SharedTraces.file(file), ReadOptions.defaults());
    assertThat(source.format()).isEqualTo(TraceFormat.AZURE);
    return TraceStatsCollector.of(source, THRESHOLDS);
  }

  @Test
  void codeTrace_matchesReadme() {
    TraceStats s = stats("AzureLLMInferenceTrace_code.csv");
    assertThat(s.rows()).isEqualTo(8_819);
    assertThat(s.skippedRows()).isZero();
    assertThat(s.spanSeconds()).isCloseTo(3_435.9, within(0.05));
    assertThat(s.meanRateRps()).isCloseTo(2.567, within(0.0005));
    assertThat(s.peakCount60s()).isEqualTo(632);
    assertThat(s.peakRate60s()).isCloseTo(10.53, within(0.005));
    assertThat(s.peakCount1s()).isEqualTo(67);
    assertThat(s.interarrivalCv()).isCloseTo(13.15, within(0.005));
    assertThat(s.promptTokens()).isEqualTo(new TokenSummary(
        s.promptTokens().mean(), 1_469, 5_194, 7_436, 7_437));
    assertThat(s.promptTokens().mean()).isCloseTo(2_047.8, within(0.05));
    assertThat(s.outputTokens()).isEqualTo(new TokenSummary(
        s.outputTokens().mean(), 13, 55, 252, 1_899));
    assertThat(s.outputTokens().mean()).isCloseTo(27.9, within(0.05));
    assertThat(s.totalTokens()).isEqualTo(new TokenSummary(
        s.totalTokens().mean(), 1_493, 5_223, 7_462, 7_841));
    assertThat(percentages(s)).containsExactly("61.82", "85.75", "100.00", "100.00", "100.00");
  }

  @Test
  void convTrace_matchesReadme() {
    TraceStats s = stats("AzureLLMInferenceTrace_conv.csv");
    assertThat(s.rows()).isEqualTo(19_366);
    assertThat(s.spanSeconds()).isCloseTo(3_501.7, within(0.05));
    assertThat(s.meanRateRps()).isCloseTo(5.530, within(0.0005));
    assertThat(s.peakCount60s()).isEqualTo(507);
    assertThat(s.peakRate60s()).isCloseTo(8.45, within(0.005));
    assertThat(s.peakCount1s()).isEqualTo(16);
    assertThat(s.interarrivalCv()).isCloseTo(1.09, within(0.005));
    assertThat(s.promptTokens()).isEqualTo(new TokenSummary(
        s.promptTokens().mean(), 1_020, 2_735, 4_142, 14_050));
    assertThat(s.promptTokens().mean()).isCloseTo(1_154.7, within(0.05));
    assertThat(s.outputTokens()).isEqualTo(new TokenSummary(
        s.outputTokens().mean(), 129, 424, 601, 1_000));
    assertThat(s.outputTokens().mean()).isCloseTo(211.1, within(0.05));
    assertThat(s.totalTokens()).isEqualTo(new TokenSummary(
        s.totalTokens().mean(), 1_412, 2_820, 4_259, 14_089));
    assertThat(percentages(s)).containsExactly("85.35", "91.68", "99.99", "100.00", "100.00");
  }

  @Test
  void codeTrace_tokenTotalsMatchReadme() {
    TokenHistogram prompt = new TokenHistogram();
    TokenHistogram output = new TokenHistogram();
    try (var requests = new FileTraceSource(SharedTraces.file("AzureLLMInferenceTrace_code.csv"),
        ReadOptions.defaults()).open()) {
      requests.forEach(r -> {
        prompt.record(r.promptTokens());
        output.record(r.outputTokens());
      });
    }
    assertThat(prompt.sum()).isEqualTo(18_059_974);
    assertThat(output.sum()).isEqualTo(245_896);
    assertThat(prompt.min()).isEqualTo(3);
    assertThat(output.min()).isEqualTo(6);
  }

  @Test
  void codeTrace_requestsPerMinute_matchReadmeTable() {
    // minute k = [first arrival + k min, first arrival + (k+1) min): the aligned windows
    long[] perMinute = new long[58];
    try (var requests = new FileTraceSource(SharedTraces.file("AzureLLMInferenceTrace_code.csv"),
        ReadOptions.defaults()).open()) {
      requests.forEach(r -> perMinute[(int) (r.arrivalNanos() / 60_000_000_000L)]++);
    }
    assertThat(perMinute).containsExactly(63, 0, 0, 531, 187, 130, 15, 42, 38, 476, 421, 63, 0,
        0, 632, 299, 0, 20, 396, 315, 116, 78, 306, 447, 252, 34, 128, 111, 406, 234, 118, 169,
        130, 306, 158, 0, 339, 55, 285, 191, 0, 28, 205, 245, 99, 0, 0, 32, 0, 0, 0, 97, 212, 22,
        32, 113, 47, 196);
  }

  private static List<String> percentages(TraceStats s) {
    return s.fractionTotalLe().values().stream()
        .map(f -> String.format(java.util.Locale.US, "%.2f", 100 * f)).toList();
  }
}
