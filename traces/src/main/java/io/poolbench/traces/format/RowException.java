package io.poolbench.traces.format;

/**
 * A malformed row, thrown by a {@link RowParser} with the problem only; the reader prefixes
 * {@code file:line} and applies the bad-row policy, unless the problem is {@link #fatal()} (one
 * that skipping the row would not cure, such as a session going back in time). Carries no stack
 * trace (rows can be skipped by the million).
 */
public final class RowException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean fatal;

  /** A bad row, subject to {@code --on-bad-row}. */
  public RowException(String problem) {
    this(problem, false);
  }

  private RowException(String problem, boolean fatal) {
    super(problem, null, false, false);
    this.fatal = fatal;
  }

  /** A problem that always stops the read, whatever {@code --on-bad-row} says. */
  public static RowException fatal(String problem) {
    return new RowException(problem, true);
  }

  /** True when the read must stop even with {@code --on-bad-row skip}. */
  public boolean fatal() {
    return fatal;
  }
}
