package io.poolbench.traces;

import io.poolbench.traces.format.FileTraceSource;
import io.poolbench.traces.format.ReadOptions;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns the source strings users type into {@link TraceSource}s: a trace file path (format
 * detected or forced by the read options), or {@code builtin:<spec>} for a built-in workload
 * ({@code builtin:azure-conv}, {@code builtin:long-mix?long-share=0.2&rate=50&duration=10m}).
 */
public final class TraceSources {

  /** The prefix that marks a built-in workload. */
  public static final String BUILTIN_PREFIX = "builtin:";

  private TraceSources() {}

  /**
   * Resolves a source string.
   *
   * @param source a file path, or {@code builtin:} and a workload spec
   * @param options how to read a file (ignored for built-in workloads)
   * @throws BadInputException {@code Could not find file: <path>} for a missing file
   */
  public static TraceSource resolve(String source, ReadOptions options) {
    if (source == null || source.isBlank()) {
      throw new BadInputException("Empty trace source: expected a file path or builtin:<name>"
          + " with <name> one of " + String.join(", ", BuiltinWorkloads.names()));
    }
    if (source.startsWith(BUILTIN_PREFIX)) {
      String spec = source.substring(BUILTIN_PREFIX.length());
      if (spec.isBlank()) {
        throw new BadInputException("Missing workload name in '" + source + "': expected "
            + "builtin:<name> with <name> one of " + String.join(", ", BuiltinWorkloads.names()));
      }
      return BuiltinWorkloads.open(spec);
    }
    Path path = Path.of(source);
    if (!Files.exists(path)) {
      throw new BadInputException("Could not find file: " + source);
    }
    return new FileTraceSource(path, options);
  }
}
