package io.poolbench.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseFilterTest {

  private static final String CONTENT = "data: {\"choices\":[{\"text\":\" h\u00e9\"}],\"usage\":null}"
      + "\n\n: keep-alive\n\ndata: {\"choices\":[{\"text\":\"!\"}],\"usage\":null}\n\n";
  private static final String USAGE =
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":2}}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  /** Feeds {@code text} in random pieces (seeded) and returns what the filter forwarded. */
  private static String run(SseFilter f, String text, long seed) {
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    SplittableRandom r = new SplittableRandom(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < all.length) {
      int n = Math.min(all.length - at, 1 + r.nextInt(40));
      ByteBuf piece = ByteBufAllocator.DEFAULT.buffer(n).writeBytes(all, at, n);
      at += n;
      ByteBuf forward = f.feed(ByteBufAllocator.DEFAULT, piece);
      if (forward != null) {
        byte[] b = new byte[forward.readableBytes()];
        forward.readBytes(b);
        forward.release();
        out.writeBytes(b);
      }
    }
    f.release();
    return out.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void usageChunkAddedByRouter_isStrippedAndRead_wherevertheCutsFall(long seed) {
    SseFilter f = new SseFilter(true);
    assertThat(run(f, CONTENT + USAGE + DONE, seed)).isEqualTo(CONTENT + DONE);
    assertThat(ResponseJson.promptTokens(f.usage())).isEqualTo(40);
    assertThat(ResponseJson.completionTokens(f.usage())).isEqualTo(2);
    assertThat(f.done()).isTrue();
    assertThat(f.error()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void usageChunkClientAskedFor_passesThrough(long seed) {
    SseFilter f = new SseFilter(false);
    assertThat(run(f, CONTENT + USAGE + DONE, seed)).isEqualTo(CONTENT + USAGE + DONE);
    assertThat(ResponseJson.promptTokens(f.usage())).isEqualTo(40);
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22})
  void errorEvent_passesThroughAndIsNoticed(long seed) {
    SseFilter f = new SseFilter(true);
    String error = "data: {\"error\":{\"message\":\"EngineCore died\",\"code\":500}}\n\n";
    assertThat(run(f, CONTENT + error + DONE, seed)).isEqualTo(CONTENT + error + DONE);
    assertThat(f.error()).isTrue();
    assertThat(f.usage()).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void wholeEventsPerRead_forwardedWithoutLoss_andEveryBufferFreed(boolean strip) {
    SseFilter f = new SseFilter(strip);
    String[] reads = {CONTENT, USAGE + DONE, ": comment\n\n"};
    StringBuilder got = new StringBuilder();
    java.util.List<ByteBuf> inputs = new java.util.ArrayList<>();
    for (String read : reads) {
      ByteBuf in = ByteBufAllocator.DEFAULT.directBuffer().writeBytes(
          read.getBytes(StandardCharsets.UTF_8));
      inputs.add(in);
      ByteBuf out = f.feed(ByteBufAllocator.DEFAULT, in);
      if (out != null) {
        got.append(out.toString(StandardCharsets.UTF_8));
        out.release();
      }
    }
    f.release();
    assertThat(got.toString()).isEqualTo(strip ? CONTENT + DONE + ": comment\n\n"
        : CONTENT + USAGE + DONE + ": comment\n\n");
    assertThat(ResponseJson.completionTokens(f.usage())).isEqualTo(2);
    assertThat(inputs).allMatch(b -> b.refCnt() == 0);
  }

  @ParameterizedTest
  @ValueSource(longs = {31})
  void unfinishedEvent_isHeldBack(long seed) {
    SseFilter f = new SseFilter(true);
    ByteBuf out = f.feed(ByteBufAllocator.DEFAULT,
        Unpooled.copiedBuffer("data: {\"a\":1}\n\ndata: {\"b\"", StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("data: {\"a\":1}\n\n");
    out.release();
    f.release();
  }
}
