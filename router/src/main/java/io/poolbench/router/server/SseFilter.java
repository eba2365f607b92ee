package io.poolbench.router.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Splits an upstream SSE body into events ({@code \n\n}-terminated) as chunks arrive, passes
 * every event through byte for byte, and watches them: it keeps the last {@code usage} seen,
 * notices an in-stream error event and the final {@code data: [DONE]}, and, when the router added
 * {@code include_usage} itself, drops the usage-only chunk ({@code "choices":[]}) the client did
 * not ask for. Not thread-safe: one per exchange, used on its event loop.
 */
public final class SseFilter {

  private static final byte[] USAGE = "\"usage\":{".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_CHOICES =
      "\"choices\":[]".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "data: {\"error\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

  private final boolean stripUsageChunk;
  /** The start of an event split across reads (a plain buffer: scanning it is cheap). */
  private ByteBuf pending;
  private long usage = -1;
  private boolean error;
  private boolean done;
  private boolean sawEvent;

  /** @param stripUsageChunk drop the usage-only chunk (the client did not ask for usage) */
  public SseFilter(boolean stripUsageChunk) {
    this.stripUsageChunk = stripUsageChunk;
  }

  /**
   * Takes ownership of {@code chunk} and returns the bytes to forward now (complete events, minus
   * a stripped usage chunk), or null when nothing is complete yet. The caller owns the result.
   *
   * <p>The usual read holds whole events and nothing to strip: then the chunk itself (or a slice
   * of it) is forwarded, without a copy. Bytes of an event cut across reads are kept and joined
   * with the next read.
   */
  public ByteBuf feed(ByteBufAllocator alloc, ByteBuf chunk) {
    ByteBuf buf;
    if (pending != null && pending.isReadable()) {
      pending.writeBytes(chunk);
      chunk.release();
      buf = pending;
    } else {
      buf = chunk;
    }
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    int forwardFrom = start;
    int eventStart = start;
    int lastComplete = start;
    int i = start;
    ByteBuf out = null;   // only when an event is dropped
    while (true) {
      int nl = buf.indexOf(i, end, (byte) '\n');
      if (nl < 0 || nl + 1 >= end) {
        break;
      }
      if (buf.getByte(nl + 1) != '\n') {
        i = nl + 1;
        continue;
      }
      int eventEnd = nl + 2;
      if (inspect(buf, eventStart, nl)) {
        // drop [eventStart, eventEnd): keep what precedes it
        if (out == null) {
          out = alloc.buffer(end - start);
        }
        out.writeBytes(buf, forwardFrom, eventStart - forwardFrom);
        forwardFrom = eventEnd;
      }
      eventStart = eventEnd;
      lastComplete = eventEnd;
      i = eventEnd;
    }
    ByteBuf result;
    int n = lastComplete - forwardFrom;
    if (out != null) {
      out.writeBytes(buf, forwardFrom, n);
      result = out;
    } else if (n == 0) {
      result = null;
    } else if (buf != chunk) {
      // pending is compacted below, which would move bytes under a slice
      result = alloc.buffer(n).writeBytes(buf, forwardFrom, n);
    } else if (forwardFrom == start && lastComplete == end) {
      result = chunk.retain();
    } else {
      result = chunk.retainedSlice(forwardFrom, n);
    }
    if (buf == chunk) {
      if (lastComplete < end) {
        if (pending == null) {
          pending = alloc.heapBuffer(Math.max(256, end - lastComplete));
        }
        pending.writeBytes(chunk, lastComplete, end - lastComplete);
      }
      chunk.release();
    } else {
      pending.readerIndex(lastComplete);
      pending.discardReadBytes();
    }
    return result;
  }

  /** Inspects event [from, to) of {@code buf} (without its blank line); true to drop it. */
  private boolean inspect(ByteBuf buf, int from, int to) {
    sawEvent = true;
    if (startsWith(buf, from, to, DONE)) {
      done = true;
      return false;
    }
    if (startsWith(buf, from, to, ERROR)) {
      error = true;
      return false;
    }
    if (indexOf(buf, from, to, USAGE) < 0) {
      return false;
    }
    int dataStart = buf.indexOf(from, to, (byte) '{');
    if (dataStart < 0) {
      return false;
    }
    byte[] json = new byte[to - dataStart];
    buf.getBytes(dataStart, json);
    long u = ResponseJson.usage(json, 0, json.length);
    if (u != -1) {
      usage = u;
    }
    return stripUsageChunk && indexOf(buf, from, to, EMPTY_CHOICES) >= 0;
  }

  private static boolean startsWith(ByteBuf buf, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (buf.getByte(from + k) != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(ByteBuf buf, int from, int to, byte[] needle) {
    int last = to - needle.length;
    int i = from;
    while (i <= last) {
      int first = buf.indexOf(i, last + 1, needle[0]);
      if (first < 0) {
        return -1;
      }
      int k = 1;
      while (k < needle.length && buf.getByte(first + k) == needle[k]) {
        k++;
      }
      if (k == needle.length) {
        return first;
      }
      i = first + 1;
    }
    return -1;
  }

  /** The last usage seen, packed as {@link ResponseJson#usage}, or -1. */
  public long usage() {
    return usage;
  }

  /** True once an error event passed. */
  public boolean error() {
    return error;
  }

  /** True once {@code data: [DONE]} passed. */
  public boolean done() {
    return done;
  }

  /** True once any complete event passed. */
  public boolean sawEvent() {
    return sawEvent;
  }

  /** Frees the bytes of an unfinished event. */
  public void release() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
