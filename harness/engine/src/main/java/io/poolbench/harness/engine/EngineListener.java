package io.poolbench.harness.engine;

/**
 * Receives what an engine does, as it does it. Calls use primitives so that the step loop does
 * not allocate per token; only the per-request {@link #finished} carries an {@link Outcome}.
 */
public interface EngineListener {

  /** The first output token of {@code request} appeared at {@code nanos}. */
  void firstToken(EngineRequest request, long nanos);

  /** {@code count} later tokens appeared, each {@code interTokenNanos} after its predecessor. */
  void tokens(int count, long interTokenNanos);

  /** {@code request} was preempted (its blocks freed, to be recomputed). */
  void preempted(EngineRequest request, long nanos);

  /** {@code request} ended; it leaves the engine. */
  void finished(EngineRequest request, Outcome outcome, long nanos);

  /** The engine died at {@code nanos}; the requests it held follow as {@link #finished} calls. */
  void engineDied(String cause, long nanos);

  /** A listener that ignores everything. */
  EngineListener NONE = new EngineListener() {
    @Override
    public void firstToken(EngineRequest request, long nanos) {}

    @Override
    public void tokens(int count, long interTokenNanos) {}

    @Override
    public void preempted(EngineRequest request, long nanos) {}

    @Override
    public void finished(EngineRequest request, Outcome outcome, long nanos) {}

    @Override
    public void engineDied(String cause, long nanos) {}
  };
}
