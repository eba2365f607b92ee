package io.poolbench.loadgen.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTrackerTest {

  private final List<Long> gaps = new ArrayList<>();
  private final StreamTracker tracker = new StreamTracker(gaps::add);

  private void at(long nanos, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    tracker.onBytes(nanos, b, 0, b.length);
  }

  private static String completionChunk(String text, String finish) {
    return "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"text\":\"" + text + "\",\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"")
        + ",\"stop_reason\":null,\"prompt_token_ids\":null,\"token_ids\":null}],\"usage\":null}\n\n";
  }

  @Test
  void completionsStream_timesFirstChunkAndGaps_andReadsUsage() {
    at(1_000, completionChunk(" Hel", null));
    at(1_500, completionChunk("lo", null));
    at(2_300, completionChunk("!", "length"));
    at(2_400, "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":8,\"completion_tokens\":3}}\n\n");
    at(2_500, "data: [DONE]\n\n");
    StreamResult r = tracker.result();
    assertThat(r.completed()).isTrue();
    assertThat(r.contentChunks()).isEqualTo(3);
    assertThat(r.firstContentNanos()).isEqualTo(1_000);
    assertThat(r.lastContentNanos()).isEqualTo(2_300);
    assertThat(gaps).containsExactly(500L, 800L);
    assertThat(r.promptTokens()).isEqualTo(5);
    assertThat(r.completionTokens()).isEqualTo(3);
    assertThat(r.finishReason()).isEqualTo("length");
  }

  @Test
  void chatStream_roleChunkWithEmptyContentIsNotTheFirstToken() {
    at(100, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    at(200, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":1,\"total_tokens\":43}}\n\ndata: [DONE]\n\n");
    StreamResult r = tracker.result();
    assertThat(r.firstContentNanos()).isEqualTo(200);
    assertThat(r.contentChunks()).isEqualTo(1);
    assertThat(r.promptTokens()).isEqualTo(42);
    assertThat(r.completed()).isTrue();
  }

  @Test
  void errorEventThenDone_isAnErrorNotACompletion() {
    at(10, completionChunk("a", null));
    at(20, "data: {\"error\":{\"message\":\"EngineCore encountered an issue.\",\"type\":"
        + "\"InternalServerError\",\"param\":null,\"code\":500}}\n\ndata: [DONE]\n\n");
    StreamResult r = tracker.result();
    assertThat(r.done()).isTrue();
    assertThat(r.hasError()).isTrue();
    assertThat(r.completed()).isFalse();
    assertThat(r.errorMessage()).isEqualTo("EngineCore encountered an issue.");
    assertThat(r.errorCode()).isEqualTo(500);
  }

  @Test
  void connectionDroppedWithoutDone_isNotCompleted() {
    at(10, completionChunk("a", null));
    at(20, "data: {\"id\":\"cm");
    StreamResult r = tracker.result();
    assertThat(r.done()).isFalse();
    assertThat(r.cutOffMidEvent()).isTrue();
    assertThat(r.completed()).isFalse();
    assertThat(r.promptTokens()).isEqualTo(-1);
  }

  @Test
  void severalTokensInOneChunk_countAsOneChunk_andGarbageIsCounted() {
    at(10, completionChunk("three tokens here", null));
    at(20, "data: not json\n\n: keep-alive\n\ndata: [DONE]\n\n");
    StreamResult r = tracker.result();
    assertThat(r.contentChunks()).isEqualTo(1);
    assertThat(r.malformedEvents()).isEqualTo(1);
    assertThat(r.comments()).isEqualTo(1);
    assertThat(r.completed()).isTrue();
  }
}
