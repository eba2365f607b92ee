package io.poolbench.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestBodiesTest {

  private static byte[] hex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  @ParameterizedTest
  @CsvSource({
      "41424344, -1", "c3a9, -1", "e6bca2, -1", "f09f9880, -1",
      "c328, 0", "c0af, 0", "e08080, 0", "eda080, 0", "f4908080, 0", "ff, 0", "4142c3, 2",
      "414243444546474849c3, 9", "80, 0"})
  void invalidUtf8At_findsTheFirstBadSequence(String bytes, int expected) {
    assertThat(RequestBodies.invalidUtf8At(hex(bytes))).isEqualTo(expected);
  }

  @Test
  void invalidUtf8At_agreesWithTheJdkDecoder_onRandomBytes() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] b = new byte[r.nextInt(1, 24)];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(0x20, 0x7f));
      }
      boolean jdkValid;
      try {
        StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
        jdkValid = true;
      } catch (java.nio.charset.CharacterCodingException e) {
        jdkValid = false;
      }
      assertThat(RequestBodies.invalidUtf8At(b) < 0).as(java.util.HexFormat.of().formatHex(b))
          .isEqualTo(jdkValid);
    }
  }

  @Test
  void withIncludeUsage_insertsFirstMember() {
    byte[] out = RequestBodies.withIncludeUsage(" {\"prompt\":\"x\",\"stream\":true}"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(
        " {\"stream_options\":{\"include_usage\":true},\"prompt\":\"x\",\"stream\":true}");
    assertThat(RequestBodies.withIncludeUsage("{ }".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(RequestBodies.withIncludeUsage("[1]".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void hasStreamOptions_onlyForTheUnescapedKey() {
    assertThat(RequestBodies.hasStreamOptions(
        "{\"stream_options\":{}}".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(RequestBodies.hasStreamOptions(
        "{\"prompt\":\"stream_options\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
  }
}
