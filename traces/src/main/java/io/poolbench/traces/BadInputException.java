package io.poolbench.traces;

/**
 * A user error: a bad trace, config, flag or request value. The message is one sentence that names
 * the bad value and the expected form; the CLI prints it alone and exits with status 2.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
