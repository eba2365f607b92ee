package io.poolbench.traces.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without decoding them, so that readers parse numbers straight
 * from bytes. A line ends at {@code \n}; a {@code \r} before it is dropped. The last line need not
 * end with a newline ({@link #terminated()} tells).
 */
public final class LineReader implements Closeable {
  private static final int MAX_LINE_BYTES = 64 << 20;

  private final InputStream in;
  private byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNumber;
  private int start;
  private int end;
  private boolean terminated;

  public LineReader(InputStream in) {
    this.in = in;
  }

  /**
   * Advances to the next line.
   *
   * @return false at the end of the input
   * @throws IOException when reading fails, or a line is longer than 64 MiB
   */
  public boolean next() throws IOException {
    while (true) {
      byte[] b = buf;
      for (int i = pos; i < limit; i++) {
        if (b[i] == '\n') {
          start = pos;
          end = i > pos && b[i - 1] == '\r' ? i - 1 : i;
          pos = i + 1;
          terminated = true;
          lineNumber++;
          return true;
        }
      }
      if (eof) {
        if (pos < limit) {
          start = pos;
          end = limit;
          pos = limit;
          terminated = false;
          lineNumber++;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      if (buf.length >= MAX_LINE_BYTES) {
        throw new LineTooLongException(lineNumber + 1);
      }
      byte[] bigger = new byte[buf.length * 2];
      System.arraycopy(buf, 0, bigger, 0, limit);
      buf = bigger;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  /** The buffer holding the current line (valid until the next call to {@link #next()}). */
  public byte[] buffer() {
    return buf;
  }

  /** Offset of the current line's first byte in {@link #buffer()}. */
  public int start() {
    return start;
  }

  /** Offset just past the current line's last byte (newline excluded). */
  public int end() {
    return end;
  }

  /** 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }

  /** False when the current line is the last one and no newline follows it. */
  public boolean terminated() {
    return terminated;
  }

  /** True when the current line holds only spaces and tabs. */
  public boolean blank() {
    for (int i = start; i < end; i++) {
      if (buf[i] != ' ' && buf[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /** The current line decoded as UTF-8 (for headers and error messages, not the hot path). */
  public String text() {
    return new String(buf, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** A line longer than 64 MiB: not a trace row (perhaps not a text file at all). */
  public static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long lineNumber;

    LineTooLongException(long lineNumber) {
      super("line " + lineNumber + " is longer than 64 MiB");
      this.lineNumber = lineNumber;
    }

    /** The 1-based number of the overlong line. */
    public long lineNumber() {
      return lineNumber;
    }
  }
}
