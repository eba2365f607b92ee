package io.poolbench.harness.cli;

/** The exit statuses every poolbench command uses. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** A bug or an unexpected failure inside poolbench. */
  public static final int INTERNAL_ERROR = 1;
  /** Bad usage, configuration or input (a flag, a config key, a trace row). */
  public static final int BAD_INPUT = 2;
  /** The run completed but its assertions (for example SLOs) failed. */
  public static final int ASSERTIONS_FAILED = 3;
  /**
   * A target could not be reached: connection refused, unknown host or connect timeout (before a
   * run, or for every request of a run, whose directory is still written).
   */
  public static final int UNREACHABLE = 4;
  /** An output could not be written: the disk is full, a file too large, a read-only file system. */
  public static final int OUTPUT_FAILED = 5;

  private ExitCodes() {}
}
