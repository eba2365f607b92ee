package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OutputLengthsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "fixed:64 | 64 | 64",
      "uniform:10..20 | 10 | 20",
      "exp:100 | 1 | 2000",
      "lognormal:180,1.0 | 1 | 100000"
  })
  void draw_staysInRangeAndRoundTripsItsSpelling(String spec, int min, int max) {
    OutputLengths d = OutputLengths.parse(spec);
    SplittableRandom random = new SplittableRandom(42);

    int[] draws = new int[10_000];
    Arrays.setAll(draws, i -> d.draw(random));

    assertThat(Arrays.stream(draws).min().orElseThrow()).isGreaterThanOrEqualTo(min);
    assertThat(Arrays.stream(draws).max().orElseThrow()).isLessThanOrEqualTo(max);
    assertThat(OutputLengths.parse(d.spelling())).isEqualTo(d);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"exp:100 | 100", "lognormal:180,1.0 | 180"})
  void draw_centresOnTheDeclaredMeanOrMedian(String spec, double centre) {
    OutputLengths d = OutputLengths.parse(spec);
    SplittableRandom random = new SplittableRandom(7);
    int[] draws = new int[20_000];
    Arrays.setAll(draws, i -> d.draw(random));
    Arrays.sort(draws);

    double observed = spec.startsWith("exp") ? Arrays.stream(draws).average().orElseThrow()
        : draws[draws.length / 2];
    assertThat(observed).isBetween(centre * 0.93, centre * 1.07);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "fixed", "fixed:0", "uniform:20..10", "lognormal:180", "zipf:3",
      "exp:-1"})
  void parse_badSpelling_isBadInputNamingTheGrammar(String spec) {
    assertThatThrownBy(() -> OutputLengths.parse(spec)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("fixed:N, uniform:A..B, exp:MEAN or lognormal:MEDIAN,SIGMA");
  }
}
