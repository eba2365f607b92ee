package io.poolbench.traces.format;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.ZipException;

/**
 * Drives a {@link RowParser} over the lines of one file and yields requests whose arrivals are
 * offsets from the first row's timestamp. Applies the bad-row and unordered-row policies; blank
 * lines are not rows and are passed over.
 */
final class TraceFileReader extends Spliterators.AbstractSpliterator<TraceRequest> {
  private final LineReader lines;
  private final RowParser parser;
  private final String name;
  private final ReadOptions options;
  private final AtomicLong skipped;
  private final Row row = new Row();
  private boolean headerRead;
  private boolean first = true;
  private long baseNanos;
  private long previousNanos;
  private Iterator<TraceRequest> sorted;

  TraceFileReader(LineReader lines, RowParser parser, String name, ReadOptions options,
      AtomicLong skipped) {
    super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
    this.lines = lines;
    this.parser = parser;
    this.name = name;
    this.options = options;
    this.skipped = skipped;
    this.headerRead = !parser.hasHeader();
  }

  @Override
  public boolean tryAdvance(Consumer<? super TraceRequest> action) {
    if (options.onUnordered() == OnUnordered.SORT) {
      if (sorted == null) {
        sorted = readAllSorted();
      }
      if (!sorted.hasNext()) {
        return false;
      }
      action.accept(sorted.next());
      return true;
    }
    if (!nextRow()) {
      return false;
    }
    long time = row.timeNanos;
    if (first) {
      first = false;
      baseNanos = time;
      previousNanos = time;
    } else if (time < previousNanos) {
      if (options.onUnordered() == OnUnordered.FAIL) {
        throw new BadInputException(location() + ": timestamp is "
            + seconds(previousNanos - time) + " s earlier than the previous row's; use "
            + "--on-unordered keep (keep file order) or sort");
      }
      time = previousNanos; // KEEP: file order, sent right after the previous row
    }
    previousNanos = time;
    action.accept(request(time - baseNanos));
    return true;
  }

  private Iterator<TraceRequest> readAllSorted() {
    List<TraceRequest> requests = new ArrayList<>();
    long[] times = new long[1024];
    long min = Long.MAX_VALUE;
    while (nextRow()) {
      if (requests.size() == times.length) {
        times = Arrays.copyOf(times, times.length * 2);
      }
      times[requests.size()] = row.timeNanos;
      min = Math.min(min, row.timeNanos);
      requests.add(request(0));
    }
    Integer[] order = new Integer[requests.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    long[] t = times;
    Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b])); // stable: a merge sort
    List<TraceRequest> result = new ArrayList<>(order.length);
    for (int index : order) {
      result.add(requests.get(index).withArrivalNanos(t[index] - min));
    }
    return result.iterator();
  }

  /** Advances to the next good row in {@link #row}; false at the end of the file. */
  private boolean nextRow() {
    try {
      while (lines.next()) {
        if (lines.blank()) {
          continue;
        }
        byte[] b = lines.buffer();
        boolean isHeader = !headerRead;
        try {
          if (isHeader) {
            headerRead = true;
            parser.header(b, lines.start(), lines.end());
            continue;
          }
          row.reset();
          row.line = lines.lineNumber();
          parser.parse(b, lines.start(), lines.end(), row);
          return true;
        } catch (RowException e) {
          String what = lines.terminated() ? e.getMessage()
              : "truncated last row? " + e.getMessage();
          // a header that does not fit the format is never skippable: every row would be wrong
          if (isHeader || e.fatal() || options.onBadRow() == OnBadRow.FAIL) {
            throw new BadInputException(location() + ": " + what);
          }
          skipped.incrementAndGet();
        }
      }
      return false;
    } catch (LineReader.LineTooLongException e) {
      throw new BadInputException(name + ":" + e.lineNumber() + ": line is longer than 64 MiB; "
          + "is this a trace file?", e);
    } catch (ZipException | EOFException e) {
      throw new BadInputException(name + ": corrupt or truncated gzip data (" + e.getMessage()
          + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + e.getMessage(), e);
    }
  }

  private TraceRequest request(long arrivalNanos) {
    return new TraceRequest(arrivalNanos, row.promptTokens, row.outputTokens, row.category,
        row.maxTokens, row.prefixHashes, row.failedInSource, row.images, name,
        lines.lineNumber());
  }

  private String location() {
    return name + ":" + lines.lineNumber();
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.US, "%.3f", nanos / 1e9);
  }

  void close() {
    try {
      lines.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
