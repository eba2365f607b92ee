package io.poolbench.traces;

import java.util.stream.Stream;

/**
 * Something that yields a trace: a file in a known format, a built-in workload, or another source
 * with transforms applied. Each {@link #open()} starts from the beginning.
 */
public interface TraceSource {

  /** A short name for reports and error messages (a path, or {@code builtin:azure-conv}). */
  String name();

  /**
   * Opens a lazy stream of requests in arrival order; the caller closes it (try-with-resources).
   *
   * @throws BadInputException when the source is missing or a row is malformed
   */
  Stream<TraceRequest> open();

  /**
   * Rows the most recent {@link #open()} skipped as malformed ({@code --on-bad-row skip}); read it
   * after that stream is consumed. Sources that never skip rows return 0.
   */
  default long skippedRows() {
    return 0;
  }
}
