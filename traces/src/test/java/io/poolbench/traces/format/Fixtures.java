package io.poolbench.traces.format;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Writes small trace fixtures for tests and reads sources into lists. */
public final class Fixtures {
  private Fixtures() {}

  /** Writes {@code text} to {@code dir/name}, gzip-compressed when the name ends in .gz. */
  public static Path write(Path dir, String name, String text) {
    Path file = dir.resolve(name);
    try (OutputStream out = name.endsWith(".gz")
        ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** All requests of a source. */
  public static List<TraceRequest> read(TraceSource source) {
    try (Stream<TraceRequest> requests = source.open()) {
      return requests.toList();
    }
  }

  /** A file source with default options. */
  public static FileTraceSource file(Path path) {
    return new FileTraceSource(path, ReadOptions.defaults());
  }
}
