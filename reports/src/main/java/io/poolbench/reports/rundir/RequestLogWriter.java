package io.poolbench.reports.rundir;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Streams requests.csv.gz: one row per arrival (columns in {@link RequestRow#HEADER}), formatted
 * into a reused byte buffer and gzip-compressed at the fastest level, so that tens of millions of
 * rows cost neither garbage nor much time. Categories and pool names must not contain commas.
 */
public final class RequestLogWriter implements Closeable {
  private final OutputStream out;
  private final Path file;
  private final byte[] row = new byte[512];
  private int len;
  private long rows;

  /** Opens {@code file} for writing and writes the header. */
  public RequestLogWriter(Path file) {
    this.file = file;
    try {
      OutputStream raw = Files.newOutputStream(file);
      this.out = new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16) {
        {
          def.setLevel(Deflater.BEST_SPEED);
        }
      }, 1 << 16);
      out.write((RequestRow.HEADER + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }

  /**
   * Writes one row. Nanosecond values are written as milliseconds with microsecond precision;
   * negative values (absent) leave the field empty.
   */
  public void write(long id, long arrivalNanos, String pool, int instance, String category,
      int promptTokens, int outputTokens, int maxTokens, OutcomeKind outcome, int httpStatus,
      long queueNanos, long ttftNanos, long e2eNanos, int generatedTokens, int preemptions,
      int cachedTokens) {
    len = 0;
    num(id);
    comma();
    millis(arrivalNanos);
    comma();
    text(pool);
    comma();
    if (instance >= 0) {
      num(instance);
    }
    comma();
    text(category);
    comma();
    num(promptTokens);
    comma();
    num(outputTokens);
    comma();
    if (maxTokens >= 0) {
      num(maxTokens);
    }
    comma();
    text(outcome.key());
    comma();
    num(httpStatus);
    comma();
    millis(queueNanos);
    comma();
    millis(ttftNanos);
    comma();
    millis(e2eNanos);
    comma();
    num(generatedTokens);
    comma();
    num(preemptions);
    comma();
    if (cachedTokens >= 0) {
      num(cachedTokens);
    }
    row[len++] = '\n';
    try {
      out.write(row, 0, len);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  private void comma() {
    row[len++] = ',';
  }

  private void text(String s) {
    if (s == null) {
      return;
    }
    int n = Math.min(s.length(), 100);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      row[len++] = (byte) (c == ',' || c == '\n' || c > 126 ? '_' : c);
    }
  }

  private void millis(long nanos) {
    if (nanos < 0) {
      return;
    }
    long micros = nanos / 1000;
    num(micros / 1000);
    row[len++] = '.';
    long frac = micros % 1000;
    row[len++] = (byte) ('0' + frac / 100);
    row[len++] = (byte) ('0' + frac / 10 % 10);
    row[len++] = (byte) ('0' + frac % 10);
  }

  private void num(long v) {
    if (v < 0) {
      row[len++] = '-';
      v = -v;
    }
    if (v == 0) {
      row[len++] = '0';
      return;
    }
    int start = len;
    while (v > 0) {
      row[len++] = (byte) ('0' + v % 10);
      v /= 10;
    }
    for (int i = start, j = len - 1; i < j; i++, j--) {
      byte t = row[i];
      row[i] = row[j];
      row[j] = t;
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not finish " + file, e);
    }
  }
}
