package io.poolbench.traces.format.azure;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.format.TraceWriter;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;

/**
 * Writes Azure 2023-style CSV ({@code TIMESTAMP,ContextTokens,GeneratedTokens}, 7 fraction
 * digits, no zone), with arrivals as wall-clock times from 2024-01-01 00:00:00 rounded to Azure's
 * 100-ns resolution. Only the three Azure columns survive; use JSONL to keep categories,
 * max_tokens and prefix hashes.
 */
public final class AzureTraceWriter implements TraceWriter {
  /** The wall-clock time of arrival offset 0. */
  public static final LocalDate BASE_DATE = LocalDate.of(2024, 1, 1);

  private static final long TICK_NANOS = 100;
  private static final long TICKS_PER_SECOND = 10_000_000L;
  private static final long SECONDS_PER_DAY = 86_400L;

  private final Writer out;
  private final char[] line = new char[64];
  private long cachedDay = -1;
  private String cachedDate;

  public AzureTraceWriter(Writer out) {
    this.out = out;
    try {
      out.write("TIMESTAMP,ContextTokens,GeneratedTokens\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void write(TraceRequest request) throws IOException {
    long ticks = (request.arrivalNanos() + TICK_NANOS / 2) / TICK_NANOS;
    long seconds = ticks / TICKS_PER_SECOND;
    long fraction = ticks % TICKS_PER_SECOND;
    long day = seconds / SECONDS_PER_DAY;
    long secondOfDay = seconds % SECONDS_PER_DAY;
    if (day != cachedDay) {
      cachedDay = day;
      cachedDate = BASE_DATE.plusDays(day).toString();
    }
    int n = 0;
    for (int i = 0; i < cachedDate.length(); i++) {
      line[n++] = cachedDate.charAt(i);
    }
    line[n++] = ' ';
    n = two(line, n, (int) (secondOfDay / 3600));
    line[n++] = ':';
    n = two(line, n, (int) (secondOfDay / 60 % 60));
    line[n++] = ':';
    n = two(line, n, (int) (secondOfDay % 60));
    line[n++] = '.';
    for (long div = TICKS_PER_SECOND / 10; div > 0; div /= 10) {
      line[n++] = (char) ('0' + fraction / div % 10);
    }
    out.write(line, 0, n);
    out.write(',');
    out.write(Integer.toString(request.promptTokens()));
    out.write(',');
    out.write(Integer.toString(request.outputTokens()));
    out.write('\n');
  }

  private static int two(char[] b, int at, int value) {
    b[at] = (char) ('0' + value / 10);
    b[at + 1] = (char) ('0' + value % 10);
    return at + 2;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
