package io.poolbench.harness.mock;

import io.netty.util.concurrent.EventExecutor;
import io.poolbench.harness.engine.Outcome;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * Collects the engine driver's token deliveries and hands each event loop its share as one task
 * per round (a step, or a batch of commands), instead of one task per choice. Driver thread only.
 */
final class TokenDeliveries {
  private final IdentityHashMap<EventExecutor, Batch> pending = new IdentityHashMap<>();

  /** The deliveries bound for one event loop; it runs them there. */
  private static final class Batch implements Runnable {
    Choice[] choices = new Choice[8];
    int[] counts = new int[8];
    Outcome[] outcomes = new Outcome[8];
    int size;

    void add(Choice c, int count, Outcome outcome) {
      if (size == choices.length) {
        choices = Arrays.copyOf(choices, size * 2);
        counts = Arrays.copyOf(counts, size * 2);
        outcomes = Arrays.copyOf(outcomes, size * 2);
      }
      choices[size] = c;
      counts[size] = count;
      outcomes[size] = outcome;
      size++;
    }

    @Override
    public void run() {
      for (int i = 0; i < size; i++) {
        choices[i].exchange.tokens(choices[i], counts[i], outcomes[i]);
      }
    }
  }

  /** Queues {@code count} new tokens of {@code c}, and its end when {@code outcome} is set. */
  void add(Choice c, int count, Outcome outcome) {
    EventExecutor loop = c.exchange.channel.eventLoop();
    Batch b = pending.get(loop);
    if (b == null) {
      b = new Batch();
      pending.put(loop, b);
    }
    b.add(c, count, outcome);
  }

  /** Hands every event loop its queued deliveries. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    for (var e : pending.entrySet()) {
      e.getKey().execute(e.getValue());
    }
    pending.clear();
  }
}
