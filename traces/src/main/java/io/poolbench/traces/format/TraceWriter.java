package io.poolbench.traces.format;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.format.azure.AzureTraceWriter;
import io.poolbench.traces.format.generic.JsonlTraceWriter;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes requests to a trace file that poolbench's readers read back: Azure CSV for
 * {@code .csv}, poolbench JSONL for {@code .jsonl}, gzip-compressed when the name ends in
 * {@code .gz}.
 */
public interface TraceWriter extends Closeable {

  /** Appends one request (requests come in arrival order). */
  void write(TraceRequest request) throws IOException;

  /**
   * Opens a writer chosen by the file name: {@code .csv}, {@code .csv.gz}, {@code .jsonl},
   * {@code .jsonl.gz}.
   *
   * @throws BadInputException for another extension or an unwritable path
   */
  static TraceWriter open(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean gzip = name.endsWith(".gz");
    String bare = gzip ? name.substring(0, name.length() - 3) : name;
    boolean csv = bare.endsWith(".csv");
    if (!csv && !bare.endsWith(".jsonl")) {
      throw new BadInputException("Cannot tell the output format of '" + path
          + "': expected a name ending in .csv (Azure), .jsonl (poolbench JSONL), .csv.gz or "
          + ".jsonl.gz");
    }
    Writer out;
    try {
      OutputStream bytes = Files.newOutputStream(path);
      if (gzip) {
        bytes = new GZIPOutputStream(bytes, 1 << 16);
      }
      out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException e) {
      throw new BadInputException("Cannot write " + path + ": " + e, e);
    }
    return csv ? new AzureTraceWriter(out) : new JsonlTraceWriter(out);
  }

  /**
   * Writes a whole source to {@code path}; returns the number of requests written. On failure
   * the partial file is deleted.
   */
  static long writeAll(TraceSource source, Path path) {
    long rows = 0;
    boolean done = false;
    TraceWriter output = open(path); // a bad name fails here, before anything is written
    try (TraceWriter writer = output; Stream<TraceRequest> requests = source.open()) {
      Iterator<TraceRequest> it = requests.iterator();
      while (it.hasNext()) {
        writer.write(it.next());
        rows++;
      }
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException("Writing " + path + " failed: " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // the original failure matters more
        }
      }
    }
    return rows;
  }
}
