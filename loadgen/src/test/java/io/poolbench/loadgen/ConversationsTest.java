package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.traces.TraceRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversationsTest {

  private static TraceRequest row(int prompt, int output, long... ids) {
    return new TraceRequest(0, prompt, output, null, TraceRequest.NO_MAX_TOKENS, ids, false, 0,
        "t", 1);
  }

  @Test
  void turnsOfASession_linkToTheTurnBefore_withTheNewTokens() {
    Conversations c = new Conversations(0);
    assertThat(c.link(0, row(600, 20, 7, 8))).isNull();
    // same two ids (the second block grew), longer than turn 1's prompt and answer
    assertThat(c.link(1, row(900, 30, 7, 8))).isEqualTo(new Conversations.Link(0, 900 - 620, 20));
    // one more block: continues turn 2, not turn 1
    assertThat(c.link(2, row(1300, 10, 7, 8, 9))).isEqualTo(new Conversations.Link(1, 1300 - 930, 30));
  }

  @Test
  void chatTurns_leaveRoomForTheTwoMessagesTheyAdd() {
    Conversations c = new Conversations(10);
    c.link(0, row(600, 20, 7, 8));
    assertThat(c.link(1, row(900, 30, 7, 8))).isEqualTo(new Conversations.Link(0, 900 - 620 - 10, 20));
    // 1 token of room is not enough once the template's 10 are taken
    assertThat(c.link(2, row(940, 5, 7, 8))).isNull();
  }

  @Test
  void sharedPrefixRows_andRowsTooShortToHoldTheAnswer_doNotLink() {
    Conversations c = new Conversations(0);
    // ids cover only the shared 1,024-token system prompt, not the user text after it
    assertThat(c.link(0, row(1200, 50, 1, 2))).isNull();
    assertThat(c.link(1, row(1500, 50, 1, 2))).isNull();
    assertThat(c.link(2, row(1500, 50, 1, 2, 3))).isNull();
    // row 2 covers its prompt; row 3 starts with its ids but cannot hold its prompt and answer
    assertThat(c.link(3, row(1540, 50, 1, 2, 3))).isNull();
    assertThat(c.link(4, row(1551, 50, 1, 2, 3))).isEqualTo(new Conversations.Link(2, 1, 50));
    // other ids: no link
    assertThat(c.link(5, row(4000, 50, 4, 5, 6, 7, 8, 9, 10, 11))).isNull();
    assertThat(c.link(6, row(100, 5))).isNull();
  }

  @Test
  void previous_buildsOnTheAnswer_orOnTheSentPromptWithAStandIn_andCountsWhich() {
    Conversations c = new Conversations(0);
    Conversations.Turn first = Conversations.Turn.first("hello ");
    Conversations.Link toZero = new Conversations.Link(0, 5, 1);
    c.sent(0, first);
    Conversations.Turn early = c.previous(toZero, "[stand-in]"); // still in flight
    assertThat(early.user()).isEqualTo("hello ");
    assertThat(early.answer()).isEqualTo("[stand-in]");
    c.finished(0, first, "world");
    Conversations.Turn got = c.previous(toZero, "[stand-in]");
    assertThat(got.user()).isEqualTo("hello ");
    assertThat(got.answer()).isEqualTo("world");
    Conversations.Turn next = got.then(" again");
    assertThat(next.parent()).isSameAs(got);
    assertThat(next.historyChars()).isEqualTo("hello world again".length());
    assertThat(next.parent().parent()).isNull(); // two turns deep

    c.sent(1, next);
    c.finished(1, next, null); // failed
    Conversations.Turn afterFailure = c.previous(new Conversations.Link(1, 5, 1), "?");
    assertThat(afterFailure.parent()).isSameAs(got);
    assertThat(afterFailure.answer()).isEqualTo("?");
    assertThat(c.previous(new Conversations.Link(9, 5, 1), "?")).isNull(); // never kept

    Map<String, Object> json = c.json();
    assertThat(json).containsEntry("continuations", 4L).containsEntry("with_actual_answer", 1L)
        .containsEntry("previous_not_finished", 1L).containsEntry("previous_failed", 1L)
        .containsEntry("history_dropped", 1L);
  }

  @Test
  void keptHistory_isBoundedByCharacters_oldestDroppedFirst() {
    Conversations c = new Conversations(0);
    String big = "x".repeat((int) (Conversations.MAX_KEPT_CHARS / 3));
    for (long i = 0; i < 4; i++) {
      Conversations.Turn t = Conversations.Turn.first(big);
      c.sent(i, t);
      c.finished(i, t, "a");
    }
    assertThat(c.previous(new Conversations.Link(0, 1, 1), "?")).isNull();
    assertThat(c.previous(new Conversations.Link(3, 1, 1), "?")).isNotNull();
    assertThat(c.json()).containsEntry("history_dropped", 1L);
  }
}
