package io.poolbench.harness.cli;

import io.poolbench.traces.Durations;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a server command running until SIGTERM/Ctrl-C, or for {@code --run-for} when given. */
final class ServeUntilStopped {

  private ServeUntilStopped() {}

  /**
   * Blocks until the JVM is asked to stop or {@code runFor} (a duration, or null for no limit)
   * has passed; either way {@code close} runs exactly once before this returns or the JVM exits.
   */
  static void await(String name, String runFor, Runnable close) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      close.run();
      stopped.countDown();
    }, "poolbench-" + name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (runFor == null) {
      stopped.await();
      return;
    }
    if (!stopped.await(Durations.parse(runFor).toNanos(), TimeUnit.NANOSECONDS)) {
      Runtime.getRuntime().removeShutdownHook(hook);
      close.run();
    }
  }
}
