package io.poolbench.loadgen;

import io.poolbench.traces.PrefixIds;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.prompt.PromptSynthesizer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multi-turn conversations in a live run: a row that continues an earlier one carries the answer
 * the server actually gave to the earlier row, not synthesized text standing in for it.
 *
 * <p><b>Which row continues which.</b> A trace says a row continues an earlier one through its
 * prefix-block ids (Mooncake's {@code hash_ids}, {@code builtin:multi-turn}, a generic trace's
 * {@code session_id}): the earlier row's ids cover its whole prompt (one id per
 * {@value PromptSynthesizer#BLOCK_TOKENS} tokens, the last block possibly partial), they are the
 * first ids of the later row, and the later prompt is longer than the earlier prompt and output
 * together. The later row's prompt is then built as the earlier row's prompt as it was sent, the
 * earlier row's answer, and new text for the rest of its planned tokens. The links are found
 * while the plan is prepared, from the trace alone ({@link #link}), with a fixed-size table
 * indexed by the chained hash of a row's ids (a newer row with the same ids takes the slot).
 *
 * <p><b>Open loop stays open.</b> Arrivals stay those of the trace. A row whose earlier turn has
 * not finished by its planned send time, or has failed, goes out on time with the earlier prompt
 * as sent and synthesized text standing in for the missing answer; one whose history was dropped
 * to bound memory goes out with the synthesized prompt it would have had without this. Each case
 * is counted ({@link #json}).
 *
 * <p><b>Memory.</b> Finished turns are kept for their successors as immutable nodes that point
 * to the turn before (a conversation's history is shared, never copied), oldest dropped first
 * once the histories kept add up to more than {@link #MAX_KEPT_CHARS} characters.
 *
 * <p>Threads: {@link #link} runs on the planning thread only; {@link #previous},
 * {@link #finished} and the counters on the scheduler and I/O threads.
 */
final class Conversations {

  /** Most characters of history kept for turns still to come (counted per kept turn, whole). */
  static final long MAX_KEPT_CHARS = 128L << 20;

  /** Most failed turns kept for a continuation to build on. */
  private static final int MAX_FAILED = 4096;

  /** Slots of the planning table (a power of two). */
  private static final int SLOTS = 1 << 18;

  /**
   * One turn of a conversation: the text this turn added to the prompt and, once it finished,
   * the answer it got; the turns before it through {@link #parent}.
   */
  record Turn(Turn parent, String user, String answer, long historyChars) {

    static Turn first(String user) {
      return new Turn(null, user, null, user.length());
    }

    /** The next turn after this finished one, adding {@code user}. */
    Turn then(String nextUser) {
      return new Turn(this, nextUser, null, historyChars + nextUser.length());
    }

    /** This turn, finished with {@code text}. */
    Turn answered(String text) {
      return new Turn(parent, user, text, historyChars + text.length());
    }
  }

  /**
   * A row's link to the earlier row it continues.
   *
   * @param previous the earlier row's index in the trace
   * @param userTokens tokens of new text after the earlier prompt and answer
   * @param previousOutputTokens the earlier row's planned output (a stand-in answer's length)
   */
  record Link(long previous, int userTokens, int previousOutputTokens) {}

  private final int extraTokensPerTurn;
  // 8 MiB in all: allocated at the first row with prefix ids, so traces without any pay nothing
  private long[] slotKey;
  private long[] slotIndex;
  private long[] slotEnd;
  private long[] slotOutput;

  private final Map<Long, Turn> kept = new ConcurrentHashMap<>();
  private final Map<Long, Turn> failed = new ConcurrentHashMap<>();
  private final ArrayDeque<long[]> keptOrder = new ArrayDeque<>();
  private long keptChars;
  private final Map<Long, Turn> inFlight = new ConcurrentHashMap<>();

  private final AtomicLong continuations = new AtomicLong();
  private final AtomicLong withAnswer = new AtomicLong();
  private final AtomicLong notReady = new AtomicLong();
  private final AtomicLong previousFailed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * @param extraTokensPerTurn template tokens a continuation adds besides its text (a chat
   *     request adds two messages: the assistant's answer and the new user message)
   */
  Conversations(int extraTokensPerTurn) {
    this.extraTokensPerTurn = extraTokensPerTurn;
  }

  /** True when the row's ids cover its whole prompt, so that a later row may continue it. */
  static boolean covered(TraceRequest r) {
    long[] ids = r.prefixHashes();
    return ids != null && ids.length > 0 && r.promptTokens() > 0
        && ids.length == (r.promptTokens() + PromptSynthesizer.BLOCK_TOKENS - 1)
            / PromptSynthesizer.BLOCK_TOKENS;
  }

  /**
   * The earlier row that row {@code index} continues, or null; then registers the row (when its
   * ids cover its prompt) for the rows after it. Call once per row, in trace order.
   */
  Link link(long index, TraceRequest r) {
    long[] ids = r.prefixHashes();
    if (ids == null || ids.length == 0) {
      return null;
    }
    if (slotKey == null) {
      slotKey = new long[SLOTS];
      slotIndex = new long[SLOTS];
      slotEnd = new long[SLOTS];
      slotOutput = new long[SLOTS];
      Arrays.fill(slotIndex, -1);
    }
    long[] chain = new long[ids.length];
    long h = 0x9E37_79B9_7F4A_7C15L;
    for (int i = 0; i < ids.length; i++) {
      h = PrefixIds.mix(h ^ PrefixIds.mix(ids[i] + i));
      chain[i] = h;
    }
    Link link = null;
    for (int n = ids.length - 1; n >= 0 && link == null; n--) {
      int s = slot(chain[n]);
      if (slotIndex[s] >= 0 && slotKey[s] == chain[n]) {
        long user = r.promptTokens() - slotEnd[s] - extraTokensPerTurn;
        if (user >= 1) {
          link = new Link(slotIndex[s], (int) user, (int) slotOutput[s]);
        }
      }
    }
    if (covered(r)) {
      int s = slot(chain[ids.length - 1]);
      slotKey[s] = chain[ids.length - 1];
      slotIndex[s] = index;
      slotEnd[s] = (long) r.promptTokens() + r.outputTokens();
      slotOutput[s] = r.outputTokens();
    }
    return link;
  }

  /**
   * At a continuation's send time: the earlier turn, finished, for the prompt to build on. When
   * it has not finished yet or has failed, the earlier turn's prompt as it was sent with
   * {@code standIn} in place of the answer it did not give (so the conversation's history stays
   * the one the server saw). Null when the earlier turn's history was dropped: then the row goes
   * out with its synthesized prompt. Each case is counted.
   */
  Turn previous(Link link, String standIn) {
    continuations.incrementAndGet();
    Turn t = kept.get(link.previous());
    if (t != null) {
      withAnswer.incrementAndGet();
      return t;
    }
    Turn sent = inFlight.get(link.previous());
    if (sent != null) {
      notReady.incrementAndGet();
      return sent.answered(standIn);
    }
    sent = failed.get(link.previous());
    if (sent != null) {
      previousFailed.incrementAndGet();
      return sent.answered(standIn);
    }
    dropped.incrementAndGet();
    return null;
  }

  /** Row {@code index}, whose ids cover its prompt, was sent as {@code turn}: in flight till it ends. */
  void sent(long index, Turn turn) {
    inFlight.put(index, turn);
  }

  /**
   * Row {@code index} ended: kept for its successors with {@code answer} when it succeeded (null:
   * it did not).
   */
  void finished(long index, Turn turn, String answer) {
    if (answer == null) {
      if (failed.size() >= MAX_FAILED) {
        failed.clear(); // failures nobody continued: forget them rather than grow
      }
      failed.put(index, turn);
      inFlight.remove(index);
      return;
    }
    Turn done = turn.answered(answer);
    synchronized (keptOrder) {
      kept.put(index, done);
      inFlight.remove(index);
      keptOrder.addLast(new long[] {index, done.historyChars()});
      keptChars += done.historyChars();
      while (keptChars > MAX_KEPT_CHARS && keptOrder.size() > 1) {
        long[] oldest = keptOrder.removeFirst();
        kept.remove(oldest[0]);
        keptChars -= oldest[1];
      }
    }
  }

  /** Rows that continued an earlier one, and what their prompts were built from. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("continuations", continuations.get());
    m.put("with_actual_answer", withAnswer.get());
    m.put("previous_not_finished", notReady.get());
    m.put("previous_failed", previousFailed.get());
    m.put("history_dropped", dropped.get());
    return m;
  }

  private static int slot(long key) {
    return (int) (key ^ (key >>> 32)) & (SLOTS - 1);
  }
}
