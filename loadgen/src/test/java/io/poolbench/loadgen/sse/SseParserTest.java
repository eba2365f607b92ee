package io.poolbench.loadgen.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseParserTest {

  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser((type, data) -> events.add(type + "|" + data));

  private void feed(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    parser.feed(bytes, 0, bytes.length);
  }

  @Test
  void vllmStyleStream_yieldsOneEventPerDataLine() {
    feed("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n");
    assertThat(events).containsExactly("message|{\"a\":1}", "message|{\"b\":2}", "message|[DONE]");
    assertThat(parser.hasPartialEvent()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void anyLineEnding_isAccepted(String eol) {
    feed("data: x" + eol + eol + "event: error" + eol + "data: y" + eol + eol);
    assertThat(events).containsExactly("message|x", "error|y");
  }

  @Test
  void commentsAndUnknownFields_areSkipped_multiLineDataIsJoined() {
    feed(": keep-alive\n\nid: 7\nretry: 100\ndata: one\ndata:two\nfoo: bar\n\n");
    assertThat(events).containsExactly("message|one\ntwo");
    assertThat(parser.comments()).isEqualTo(1);
  }

  @Test
  void eventWithoutData_isNotDispatched() {
    feed("event: ping\n\n");
    assertThat(events).isEmpty();
  }

  @Test
  void streamCutMidEvent_isVisible() {
    feed("data: {\"a\":1}\n\ndata: {\"tru");
    assertThat(events).hasSize(1);
    assertThat(parser.hasPartialEvent()).isTrue();
  }

  @Test
  void arbitraryChunking_givesTheSameEvents_evenInsideMultiByteCharacters() {
    // Invariant: how the network splits the bytes never changes what is parsed.
    String body = "data: {\"text\":\"héllo 世界 🙂\"}\r\n\r\n: c\n\ndata: [DONE]\n\n";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      List<String> got = new ArrayList<>();
      SseParser p = new SseParser((type, data) -> got.add(data));
      int i = 0;
      while (i < bytes.length) {
        int n = 1 + random.nextInt(Math.min(7, bytes.length - i));
        p.feed(bytes, i, n);
        i += n;
      }
      assertThat(got).containsExactly("{\"text\":\"héllo 世界 🙂\"}", "[DONE]");
    }
  }
}
