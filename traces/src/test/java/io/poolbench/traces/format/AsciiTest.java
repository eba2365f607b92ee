package io.poolbench.traces.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AsciiTest {

  static Stream<Arguments> timestamps() {
    return Stream.of(
        argumentSet("azure 2023, 7 digits", "2023-11-16 18:17:03.9799600",
            "2023-11-16T18:17:03.97996Z"),
        argumentSet("azure 2024, no fraction", "2024-05-10 00:00:00+00:00",
            "2024-05-10T00:00:00Z"),
        argumentSet("azure 2024, 6 digits", "2024-05-10 23:59:59.123456+00:00",
            "2024-05-10T23:59:59.123456Z"),
        argumentSet("azure 2025, Z", "2025-03-01T12:30:00.5Z", "2025-03-01T12:30:00.5Z"),
        argumentSet("negative offset", "2024-01-01T00:00:00-05:30", "2024-01-01T05:30:00Z"),
        argumentSet("offset without colon", "2024-01-01 00:00:00+0100", "2023-12-31T23:00:00Z"),
        argumentSet("leap day", "2024-02-29 01:02:03.000000001", "2024-02-29T01:02:03.000000001Z"),
        argumentSet("before 1970", "1969-12-31 23:59:59", "1969-12-31T23:59:59Z"));
  }

  @ParameterizedTest
  @MethodSource("timestamps")
  void parseTimestampNanos_validSpellings_matchJavaTime(String text, String instant) {
    Instant expected = Instant.parse(instant);
    long nanos = expected.getEpochSecond() * 1_000_000_000L + expected.getNano();
    assertThat(Ascii.parseTimestampNanos(bytes(text), 0, text.length())).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2023-11-16", "2023-13-16 18:17:03", "2023-02-30 00:00:00",
      "2023-11-16 24:00:00", "2023-11-16 18:17:03.", "2023-11-16 18:17:03.5X",
      "2023-11-16 18:17:03+25:00", "2023/11/16 18:17:03", "abcd-ef-gh ij:kl:mn"})
  void parseTimestampNanos_invalid_isSentinel(String text) {
    assertThat(Ascii.parseTimestampNanos(bytes(text), 0, text.length()))
        .isEqualTo(Ascii.NOT_A_TIMESTAMP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-5", "abc", "1.5", "2147483648", "99999999999", "1 2"})
  void parseCount_notNonNegativeInt_isMinusOne(String text) {
    assertThat(Ascii.parseCount(bytes(text), 0, text.length())).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "7", " 42 ", "\"17\"", "2147483647"})
  void parseCount_valid_parses(String text) {
    assertThat(Ascii.parseCount(bytes(text), 0, text.length()))
        .isEqualTo(Integer.parseInt(text.replace("\"", "").strip()));
  }

  static Stream<Arguments> decimals() {
    return Stream.of(
        argumentSet("seconds", "12.5", 1_000_000_000L, 12_500_000_000L),
        argumentSet("seconds, nanos", "0.000000001", 1_000_000_000L, 1L),
        argumentSet("milliseconds", "1234.567891", 1_000_000L, 1_234_567_891L),
        argumentSet("whole", "3", 1_000L, 3_000L),
        argumentSet("trailing dot", "3.", 1_000_000_000L, 3_000_000_000L),
        argumentSet("finer than a ns is dropped", "1.0000000019", 1_000_000_000L, 1_000_000_001L));
  }

  @ParameterizedTest
  @MethodSource("decimals")
  void parseDecimalNanos_exact(String text, long unit, long nanos) {
    assertThat(Ascii.parseDecimalNanos(bytes(text), 0, text.length(), unit)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "1e3", "x", ".", "99999999999999999999"})
  void parseDecimalNanos_invalid_isMinusOne(String text) {
    assertThat(Ascii.parseDecimalNanos(bytes(text), 0, text.length(), 1_000_000_000L))
        .isEqualTo(-1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
