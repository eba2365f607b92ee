package io.poolbench.traces.format;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

/**
 * A trace file in any {@link TraceFormat}, gzip-compressed or not (recognised by its magic
 * bytes, whatever its name). Streams in constant memory unless rows must be sorted.
 */
public final class FileTraceSource implements TraceSource {
  private static final int BUFFER_BYTES = 1 << 16;

  private final Path path;
  private final String name;
  private final ReadOptions options;
  private final AtomicLong skipped = new AtomicLong();
  private TraceFormat detected;

  /**
   * A trace file; nothing is read until {@link #open()} or {@link #format()}.
   *
   * @param path the file
   * @param options the format (null: detect), bad-row and ordering policies, column mapping
   */
  public FileTraceSource(Path path, ReadOptions options) {
    this.path = path;
    this.name = path.toString();
    this.options = options;
  }

  @Override
  public String name() {
    return name;
  }

  /** The forced format, or the one detected from the file's name and first line. */
  public synchronized TraceFormat format() {
    if (options.format() != null) {
      return options.format();
    }
    if (detected == null) {
      detected = TraceFormat.detect(path.getFileName().toString(), firstLine());
    }
    return detected;
  }

  @Override
  public Stream<TraceRequest> open() {
    TraceFormat format = format();
    skipped.set(0);
    LineReader lines = new LineReader(openBytes(path));
    TraceFileReader reader =
        new TraceFileReader(lines, format.parser(options), name, options, skipped);
    return StreamSupport.stream(reader, false).onClose(reader::close);
  }

  @Override
  public long skippedRows() {
    return skipped.get();
  }

  private String firstLine() {
    try (LineReader lines = new LineReader(openBytes(path))) {
      while (lines.next()) {
        if (!lines.blank()) {
          return lines.text();
        }
      }
      return null;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new BadInputException(name + ": corrupt or truncated gzip data (" + e.getMessage()
          + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens a file for reading, unwrapping gzip when the file starts with its magic bytes.
   *
   * @throws BadInputException {@code Could not find file: <path>} when it does not exist
   */
  public static InputStream openBytes(Path path) {
    if (Files.isDirectory(path)) {
      throw new BadInputException(path + " is a directory, not a trace file");
    }
    InputStream in;
    try {
      in = new BufferedInputStream(Files.newInputStream(path), BUFFER_BYTES);
    } catch (NoSuchFileException e) {
      throw new BadInputException("Could not find file: " + path, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open " + path + ": " + e.getMessage(), e);
    }
    try {
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        return new BufferedInputStream(new GZIPInputStream(in, BUFFER_BYTES), BUFFER_BYTES);
      }
      return in;
    } catch (IOException e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new BadInputException(path + ": corrupt gzip header (" + e.getMessage() + ")", e);
    }
  }
}
