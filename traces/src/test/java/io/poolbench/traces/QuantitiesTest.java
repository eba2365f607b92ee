package io.poolbench.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({"90s, 90000000000", "10m, 600000000000", "1h30m, 5400000000000",
      "250ms, 250000000", "1.5s, 1500000000", "1_000ms, 1000000000", "2us, 2000", "7ns, 7",
      "1h1m1s1ms, 3661001000000", "10, 10000000000"})
  void durationNanos_grammar(String text, long nanos) {
    assertThat(Quantities.durationNanos(text, "--duration")).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10x", "s", "1h 30m", "-5s", "1..5s", "h30m"})
  void durationNanos_bad_showsGrammar(String text) {
    assertThatThrownBy(() -> Quantities.durationNanos(text, "--duration"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("--duration '" + text + "' is not a duration like 90s, 10m, 1h30m, 250ms "
            + "or 1.5s (units h, m, s, ms, us, ns; a bare number means seconds)");
  }

  @ParameterizedTest
  @CsvSource({"1_000, 1000", "7, 7", "1_000_000, 1000000"})
  void longAtLeast_acceptsUnderscores(String text, long value) {
    assertThat(Quantities.longAtLeast(text, 1, "--num-prompts")).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "1.5", "ten", "+4", ""})
  void longAtLeast_bad_showsForm(String text) {
    assertThatThrownBy(() -> Quantities.longAtLeast(text, 1, "--num-prompts"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("--num-prompts '" + text + "' is not a whole number >= 1 (digits, "
            + "optionally grouped like 1_000)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "NaN", "Infinity", "1d", "x"})
  void positive_bad_showsForm(String text) {
    assertThatThrownBy(() -> Quantities.positive(text, "--request-rate"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("--request-rate '" + text + "' is not a number > 0 (like 2.5 or 1_000)");
  }

  @ParameterizedTest
  @CsvSource({"2.5, 2.5", "1_000.5, 1000.5", "0.01, 0.01"})
  void positive_parses(String text, double value) {
    assertThat(Quantities.positive(text, "--request-rate")).isEqualTo(value);
  }
}
