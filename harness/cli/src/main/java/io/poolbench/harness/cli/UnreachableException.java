package io.poolbench.harness.cli;

/**
 * A target could not be reached at all (connection refused, unknown host, connect timeout); the
 * CLI prints the message without a stack trace and exits {@link ExitCodes#UNREACHABLE}.
 */
public final class UnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }

  public UnreachableException(String message) {
    super(message);
  }
}
