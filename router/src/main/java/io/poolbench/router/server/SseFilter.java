package io.poolbench.router.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
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
  private CompositeByteBuf pending;
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
   */
  public ByteBuf feed(ByteBufAllocator alloc, ByteBuf chunk) {
    if (pending == null) {
      pending = alloc.compositeBuffer(64);
    }
    pending.addComponent(true, chunk);
    int start = pending.readerIndex();
    int end = pending.writerIndex();
    int forwardFrom = start;
    CompositeByteBuf out = null;
    int eventStart = start;
    int lastComplete = start;
    int i = start;
    while (true) {
      int nl = pending.indexOf(i, end, (byte) '\n');
      if (nl < 0 || nl + 1 >= end) {
        break;
      }
      if (pending.getByte(nl + 1) != '\n') {
        i = nl + 1;
        continue;
      }
      int eventEnd = nl + 2;
      if (inspect(eventStart, nl)) {
        // drop [eventStart, eventEnd): forward what precedes it
        if (eventStart > forwardFrom) {
          if (out == null) {
            out = alloc.compositeBuffer();
          }
          out.addComponent(true, pending.retainedSlice(forwardFrom, eventStart - forwardFrom));
        }
        forwardFrom = eventEnd;
      }
      eventStart = eventEnd;
      lastComplete = eventEnd;
      i = eventEnd;
    }
    if (lastComplete > forwardFrom) {
      ByteBuf tail = copy(alloc, forwardFrom, lastComplete - forwardFrom);
      if (out == null) {
        pending.readerIndex(lastComplete);
        pending.discardReadComponents();
        return tail;
      }
      out.addComponent(true, tail);
    }
    pending.readerIndex(lastComplete);
    pending.discardReadComponents();
    return out;
  }

  // a copy, not a slice: discarding read components would free a slice's memory under it
  private ByteBuf copy(ByteBufAllocator alloc, int from, int length) {
    return alloc.buffer(length).writeBytes(pending, from, length);
  }

  /** Inspects event [from, to) (without its blank line); true when it must be dropped. */
  private boolean inspect(int from, int to) {
    sawEvent = true;
    if (startsWith(from, to, DONE)) {
      done = true;
      return false;
    }
    if (startsWith(from, to, ERROR)) {
      error = true;
      return false;
    }
    if (indexOf(from, to, USAGE) < 0) {
      return false;
    }
    int dataStart = from;
    while (dataStart < to && pending.getByte(dataStart) != '{') {
      dataStart++;
    }
    byte[] json = new byte[to - dataStart];
    pending.getBytes(dataStart, json);
    long u = ResponseJson.usage(json, 0, json.length);
    if (u != -1) {
      usage = u;
    }
    return stripUsageChunk && indexOf(from, to, EMPTY_CHOICES) >= 0;
  }

  private boolean startsWith(int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (pending.getByte(from + k) != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private int indexOf(int from, int to, byte[] needle) {
    outer:
    for (int i = from, last = to - needle.length; i <= last; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (pending.getByte(i + k) != needle[k]) {
          continue outer;
        }
      }
      return i;
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
