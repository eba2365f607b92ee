package io.poolbench.harness.engine;

/** The time source an engine reads: virtual in the simulator, the system clock in a server. */
@FunctionalInterface
public interface EngineClock {

  /** The current time in nanoseconds on this clock's own time line. */
  long nowNanos();

  /** A clock backed by {@link System#nanoTime()}, for real-time use. */
  static EngineClock system() {
    return System::nanoTime;
  }
}
