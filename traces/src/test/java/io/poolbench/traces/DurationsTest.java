package io.poolbench.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "90s, 90000", "10m, 600000", "1h30m, 5400000", "250ms, 250", "1.5s, 1500", "42, 42000",
    "1_000s, 1000000", "2h, 7200000", "0s, 0"
  })
  void parse_acceptsOperatorSpellings(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "10x", "s10", "1..5s", "-5s", "10 m s"})
  void parse_rejectsOtherTextWithTheGrammar(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Bad duration '" + text + "': expected " + Durations.GRAMMAR);
  }

  @org.junit.jupiter.api.Test
  void parse_rejectsDurationsBeyondWhatNanosecondsHold() {
    assertThatThrownBy(() -> Durations.parse("99999999999h"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Duration '99999999999h' is too long: at most 292 years");
    assertThatThrownBy(() -> Durations.parse("1e30"))
        .isInstanceOf(BadInputException.class);
  }
}
