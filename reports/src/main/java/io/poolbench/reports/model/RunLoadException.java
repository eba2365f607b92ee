package io.poolbench.reports.model;

/** A run directory that cannot be reported on; the message is one line naming the problem. */
public final class RunLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunLoadException(String message) {
    super(message);
  }

  public RunLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
