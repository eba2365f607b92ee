package io.poolbench.harness.mock;

import io.poolbench.harness.engine.EngineRequest;

/**
 * One choice of a response: one engine request. Fields are split by owner: the engine driver's
 * thread writes the {@code driver*} fields, the connection's event loop the others.
 */
final class Choice {
  final Exchange exchange;
  final int index;
  final int promptTokens;
  /** max_tokens after the context limit: reaching it ends the choice with "length". */
  final int maxTokens;
  /** Tokens this choice will generate. */
  final int target;
  /** The identities of the prompt's full KV blocks, or null. */
  final long[] blockHashes;
  EngineRequest engineRequest;
  /** Prompt tokens the engine found in its prefix cache; set before the first token is sent. */
  volatile int cachedTokens;

  // engine driver thread
  int driverDelivered;
  long driverLastTokenNanos;
  int driverSlot = -1;

  // event loop
  int generated;
  int pending;
  int sent;
  boolean roleSent;
  boolean finished;
  boolean finishSent;
  int dropAfter;
  final long[] rng = new long[1];

  Choice(Exchange exchange, int index, int promptTokens, int maxTokens, int target, long seed) {
    this(exchange, index, promptTokens, null, maxTokens, target, seed);
  }

  Choice(Exchange exchange, int index, int promptTokens, long[] blockHashes, int maxTokens,
      int target, long seed) {
    this.exchange = exchange;
    this.blockHashes = blockHashes;
    this.index = index;
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.target = target;
    this.rng[0] = seed;
  }

  /** {@code finish_reason}: "length" when the output reached max_tokens, else "stop" (EOS). */
  String finishReason() {
    return target >= maxTokens ? "length" : "stop";
  }
}
