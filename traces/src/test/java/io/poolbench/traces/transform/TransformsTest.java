package io.poolbench.traces.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.stats.TraceStats;
import io.poolbench.traces.stats.TraceStatsCollector;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransformsTest {
  private static final long S = 1_000_000_000L;

  /** Requests at the given seconds, prompt = index, output = 10 × index. */
  private static TraceSource at(long... seconds) {
    return new TraceSource() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public Stream<TraceRequest> open() {
        return LongStream.range(0, seconds.length)
            .mapToObj(i -> TraceRequest.of(seconds[(int) i] * S, (int) i, 10 * (int) i));
      }
    };
  }

  /** {@code n} requests one second apart. */
  private static TraceSource steady(int n) {
    return at(LongStream.range(0, n).toArray());
  }

  private static List<TraceRequest> read(TraceSource source) {
    try (Stream<TraceRequest> s = source.open()) {
      return s.toList();
    }
  }

  private static List<Long> arrivals(TraceSource source) {
    return read(source).stream().map(TraceRequest::arrivalNanos).toList();
  }

  @Test
  void window_keepsFromToAndShiftsToZero() {
    TraceSource w = Transforms.window(2 * S, 4 * S).applyTo(steady(10));
    assertThat(arrivals(w)).containsExactly(0L, S);
    assertThat(read(w)).extracting(TraceRequest::promptTokens).containsExactly(2, 3);
  }

  @Test
  void ramp_constantGapsFollowTheRampedRateRowByRow() {
    // 5 rows, linear 1 -> 3 req/s: rows 1..4 at p = 1/4 .. 1, rates 1.5, 2, 2.5, 3
    List<Long> linear = arrivals(Transforms.ramp("linear", 1, 3, ArrivalProcess.CONSTANT, 1, 0)
        .applyTo(steady(5)));
    double t = 0;
    List<Long> expected = new java.util.ArrayList<>(List.of(0L));
    for (double rate : new double[] {1.5, 2, 2.5, 3}) {
      t += 1 / rate;
      expected.add(Math.round(t * S));
    }
    assertThat(linear).isEqualTo(expected);
    // exponential 1 -> 16 over 5 rows: rates 2, 4, 8, 16
    List<Long> exp = arrivals(Transforms.ramp("Exponential", 1, 16, ArrivalProcess.CONSTANT, 1,
        0).applyTo(steady(5)));
    assertThat(exp).containsExactly(0L, S / 2, 3 * S / 4, 7 * S / 8, 15 * S / 16);
  }

  @Test
  void ramp_poissonGapsRiseFromStartToEndRate() {
    List<Long> a = arrivals(Transforms.ramp("linear", 10, 100, ArrivalProcess.TRACE, 1, 3)
        .applyTo(steady(20_000)));
    // the first and last thousand rows: mean rates near 10-14.5 and 95.5-100 req/s
    double early = 999.0 / ((a.get(999) - a.get(0)) / 1e9);
    double late = 999.0 / ((a.get(19_999) - a.get(19_000)) / 1e9);
    assertThat(early).isBetween(10.5, 14.0);
    assertThat(late).isBetween(92.0, 103.0);
    assertThat(arrivals(Transforms.ramp("linear", 10, 100, ArrivalProcess.POISSON, 1, 3)
        .applyTo(steady(20_000)))).isEqualTo(a);
  }

  @Test
  void ramp_badValues_areBadInputNamingTheFlag() {
    assertThatThrownBy(() -> Transforms.ramp("cubic", 1, 2, ArrivalProcess.POISSON, 1, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("'cubic'");
    assertThatThrownBy(() -> Transforms.ramp("linear", 0, 2, ArrivalProcess.POISSON, 1, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("--ramp-up-start-rps (0.0)");
  }

  @Test
  void firstN_keepsTheFirst() {
    assertThat(read(Transforms.firstN(3).applyTo(steady(10))))
        .extracting(TraceRequest::promptTokens).containsExactly(0, 1, 2);
  }

  @Test
  void sample_isSeededAndKeepsAboutTheFraction() {
    TraceSource sampled = Transforms.sample(0.25, 7).applyTo(steady(20_000));
    List<TraceRequest> first = read(sampled);
    assertThat(read(sampled)).isEqualTo(first);
    assertThat(first.size()).isBetween(4_700, 5_300);
    assertThat(read(Transforms.sample(0.25, 8).applyTo(steady(20_000)))).isNotEqualTo(first);
  }

  @Test
  void scaleToRate_reachesTheRateAndKeepsTheShape() {
    TraceSource bursty = at(0, 1, 2, 10, 11, 12, 40);
    TraceSource scaled = Transforms.scaleToRate(7.0).applyTo(bursty); // own rate: 7 / 40 s
    TraceStats stats = TraceStatsCollector.of(scaled, List.of());
    assertThat(stats.meanRateRps()).isCloseTo(7.0, within(1e-9));
    assertThat(arrivals(scaled)).containsExactly(0L, S / 40, 2 * S / 40, 10 * S / 40,
        11 * S / 40, 12 * S / 40, S);
  }

  @Test
  void scaleToRate_oneRow_explainsWhy() {
    assertThatThrownBy(() -> Transforms.scaleToRate(5).applyTo(at(3)))
        .isInstanceOf(BadInputException.class)
        .hasMessage("--request-rate needs a trace with two or more distinct arrival times; "
            + "test has 1 row(s) spanning 0 s");
  }

  @ParameterizedTest
  @CsvSource({"POISSON, 1, 1.0", "GAMMA, 0.25, 2.0", "GAMMA, 4, 0.5", "CONSTANT, 1, 0.0"})
  void retime_meanRateAndBurstinessAsVllm(ArrivalProcess process, double shape, double cv) {
    TraceSource retimed = Transforms.retime(process, 50, shape, 42).applyTo(steady(40_000));
    TraceStats stats = TraceStatsCollector.of(retimed, List.of());
    assertThat(stats.rows()).isEqualTo(40_000);
    assertThat(stats.meanRateRps()).isCloseTo(50, within(50 * 0.03));
    // gamma(shape B) gaps have CV 1/sqrt(B)
    assertThat(stats.interarrivalCv()).isCloseTo(cv, within(0.05));
    assertThat(read(retimed)).isEqualTo(read(retimed));
  }

  @Test
  void retime_withoutRate_usesTheTraceOwnRate() {
    TraceSource retimed =
        Transforms.retime(ArrivalProcess.CONSTANT, Double.NaN, 1, 0).applyTo(at(0, 1, 5, 8));
    assertThat(arrivals(retimed)).containsExactly(0L, 2 * S, 4 * S, 6 * S); // 4 rows / 8 s
  }

  @Test
  void duration_loopsAShortTrace() {
    // 3 rows over 2 s: period = span + mean gap = 3 s
    TraceSource looped = Transforms.duration(7 * S).applyTo(at(0, 1, 2));
    assertThat(arrivals(looped)).containsExactly(0L, S, 2 * S, 3 * S, 4 * S, 5 * S, 6 * S);
    assertThat(read(looped)).extracting(TraceRequest::promptTokens)
        .containsExactly(0, 1, 2, 0, 1, 2, 0);
  }

  @Test
  void duration_cutsALongTrace() {
    assertThat(arrivals(Transforms.duration(3 * S).applyTo(steady(100))))
        .containsExactly(0L, S, 2 * S);
  }

  @Test
  void duration_emptyTrace_staysEmpty() {
    assertThat(arrivals(Transforms.duration(3 * S).applyTo(at()))).isEmpty();
  }

  @Test
  void clampTokens_capsLengthsAndPrefixHashes() {
    TraceSource one = new TraceSource() {
      @Override
      public String name() {
        return "one";
      }

      @Override
      public Stream<TraceRequest> open() {
        return Stream.of(new TraceRequest(0, 2000, 900, null, -1, new long[] {1, 2, 3, 4},
            false, 0, "one", 1));
      }
    };
    TraceRequest r = read(Transforms.clampTokens(1000, 500).applyTo(one)).get(0);
    assertThat(r.promptTokens()).isEqualTo(1000);
    assertThat(r.outputTokens()).isEqualTo(500);
    assertThat(r.prefixHashes()).containsExactly(1, 2);
  }

  @ParameterizedTest
  @CsvSource({"actual, 30, 30, 30", "fixed:16, 30, 16, 16", "fixed:64, 30, 64, 30",
      "factor:1.5, 30, 45, 30", "factor:0.5, 31, 16, 16", "actual, 0, 1, 0"})
  void maxTokens_setsBudgetAndCapsOutput(String spec, int output, int budget, int newOutput) {
    TraceRequest r = MaxTokensPolicy.parse(spec).apply(TraceRequest.of(0, 100, output));
    assertThat(r.maxTokens()).isEqualTo(budget);
    assertThat(r.outputTokens()).isEqualTo(newOutput);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"fixed:0", "fixed:", "factor:-1", "double", "fixed:x"})
  void maxTokens_bad_showsGrammar(String spec) {
    assertThatThrownBy(() -> MaxTokensPolicy.parse(spec))
        .isInstanceOf(BadInputException.class)
        .hasMessage("--max-tokens '" + spec + "' is not one of actual, fixed:N (N >= 1) or "
            + "factor:X (X > 0)");
  }

  @Test
  void andThen_composesInOrder() {
    TraceTransform t = Transforms.window(5 * S, Long.MAX_VALUE).andThen(Transforms.firstN(2));
    assertThat(read(t.applyTo(steady(10)))).extracting(TraceRequest::promptTokens)
        .containsExactly(5, 6);
  }
}
