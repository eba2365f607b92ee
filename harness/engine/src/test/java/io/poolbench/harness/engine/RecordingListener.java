package io.poolbench.harness.engine;

import java.util.HashMap;
import java.util.Map;

/** Test listener that keeps every outcome by request id and counts tokens and preemptions. */
final class RecordingListener implements EngineListener {
  final Map<Long, Outcome> outcomes = new HashMap<>();
  final Map<Long, Long> finishNanos = new HashMap<>();
  long tokens;
  long firstTokens;
  long preemptions;
  int deaths;

  @Override
  public void firstToken(EngineRequest request, long nanos) {
    firstTokens++;
  }

  @Override
  public void tokens(int count, long interTokenNanos) {
    if (interTokenNanos <= 0) {
      throw new AssertionError("non-positive inter-token time " + interTokenNanos);
    }
    tokens += count;
  }

  @Override
  public void preempted(EngineRequest request, long nanos) {
    preemptions++;
  }

  @Override
  public void finished(EngineRequest request, Outcome outcome, long nanos) {
    if (outcomes.put(request.id(), outcome) != null) {
      throw new AssertionError("second outcome for request " + request.id());
    }
    finishNanos.put(request.id(), nanos);
  }

  @Override
  public void engineDied(String cause, long nanos) {
    deaths++;
  }
}
