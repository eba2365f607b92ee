package io.poolbench.harness.engine;

/** A clock that only moves when a discrete-event loop sets it; never goes backwards. */
public final class VirtualClock implements EngineClock {
  private long nowNanos;

  @Override
  public long nowNanos() {
    return nowNanos;
  }

  /** Moves the clock to {@code nanos}, which must not be earlier than the current time. */
  public void advanceTo(long nanos) {
    if (nanos < nowNanos) {
      throw new IllegalStateException("clock cannot go back from " + nowNanos + " to " + nanos);
    }
    nowNanos = nanos;
  }
}
