package io.poolbench.loadgen.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser of a {@code text/event-stream} body (the WHATWG server-sent events
 * grammar): feed it bytes as they arrive, in chunks of any size; it calls the listener once per
 * complete event. Lines end in LF, CRLF or CR; lines starting with ':' are comments; {@code data}
 * fields of one event are joined with LF; a field name without a colon has an empty value.
 *
 * <p>Not thread-safe: one parser per response, fed from one callback thread at a time.
 */
public final class SseParser {

  /** Receives complete events. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called for each event that has at least one {@code data} field.
     *
     * @param eventType the {@code event} field, or {@code "message"} when absent
     * @param data the joined {@code data} fields
     */
    void onEvent(String eventType, String data);
  }

  private final Listener listener;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventType;
  private long comments;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /** Feeds the remaining bytes of {@code buffer} (consuming them). */
  public void feed(ByteBuffer buffer) {
    while (buffer.hasRemaining()) {
      accept(buffer.get());
    }
  }

  /** Feeds {@code length} bytes of {@code bytes} from {@code offset}. */
  public void feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      accept(bytes[i]);
    }
  }

  /** Number of comment lines seen (keep-alives). */
  public long comments() {
    return comments;
  }

  /**
   * True when bytes of an unfinished line or event are buffered: at the end of a body this means
   * the stream was cut off mid-event.
   */
  public boolean hasPartialEvent() {
    return lineLength > 0 || hasData;
  }

  private void accept(byte b) {
    if (b == '\n' && lastWasCr) {
      lastWasCr = false; // the LF of a CRLF pair
      return;
    }
    lastWasCr = b == '\r';
    if (b == '\n' || b == '\r') {
      endLine();
      return;
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    if (lineLength == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') {
      comments++;
      lineLength = 0;
      return;
    }
    int colon = -1;
    for (int i = 0; i < lineLength; i++) {
      if (line[i] == ':') {
        colon = i;
        break;
      }
    }
    int nameEnd = colon < 0 ? lineLength : colon;
    int valueStart = colon < 0 ? lineLength : colon + 1;
    if (valueStart < lineLength && line[valueStart] == ' ') {
      valueStart++;
    }
    if (fieldIs("data", nameEnd)) {
      if (hasData) {
        data.append('\n');
      }
      data.append(new String(line, valueStart, lineLength - valueStart, StandardCharsets.UTF_8));
      hasData = true;
    } else if (fieldIs("event", nameEnd)) {
      eventType = new String(line, valueStart, lineLength - valueStart, StandardCharsets.UTF_8);
    }
    // id and retry fields, and unknown fields, are ignored as the grammar says
    lineLength = 0;
  }

  private boolean fieldIs(String name, int nameEnd) {
    if (nameEnd != name.length()) {
      return false;
    }
    for (int i = 0; i < nameEnd; i++) {
      if (line[i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void dispatch() {
    if (hasData) {
      String type = eventType == null ? "message" : eventType;
      String payload = data.toString();
      data.setLength(0);
      hasData = false;
      eventType = null;
      listener.onEvent(type, payload);
    } else {
      eventType = null;
    }
  }
}
