package io.poolbench.traces.format;

/**
 * A malformed row, thrown by a {@link RowParser} with the problem only; the reader prefixes
 * {@code file:line} and applies the bad-row policy. Carries no stack trace (rows can be skipped by
 * the million).
 */
public final class RowException extends Exception {
  private static final long serialVersionUID = 1L;

  public RowException(String problem) {
    super(problem, null, false, false);
  }
}
