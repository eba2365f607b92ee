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
  /** An output could not be written: the disk is full, a file too large, a read-only file system. */
  public static final int OUTPUT_FAILED = 4;

  private ExitCodes() {}
}
