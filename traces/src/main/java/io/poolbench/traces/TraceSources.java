package io.poolbench.traces;

import io.poolbench.traces.format.FileTraceSource;
import io.poolbench.traces.format.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns the source strings users type into {@link TraceSource}s: a trace file path (format
 * detected or forced by the read options).
 */
public final class TraceSources {

  private TraceSources() {}

  /**
   * Resolves a source string.
   *
   * @param source a file path
   * @param options how to read a file (ignored for built-in workloads)
   * @throws BadInputException {@code Could not find file: <path>} for a missing file
   */
  public static TraceSource resolve(String source, ReadOptions options) {
    if (source == null || source.isBlank()) {
      throw new BadInputException("Empty trace source: expected a file path");
    }
    Path path = Path.of(source);
    if (!Files.exists(path)) {
      throw new BadInputException("Could not find file: " + source);
    }
    return new FileTraceSource(path, options);
  }
}
