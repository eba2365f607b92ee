package io.poolbench.router.server;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level checks and the one rewrite the router makes to request bodies: strict UTF-8
 * validation (vLLM rejects undecodable bodies, and Jackson does not check strings it skips), and
 * inserting {@code "stream_options":{"include_usage":true}} into streaming requests that have no
 * {@code stream_options}, so every stream ends with a usage chunk the estimator can learn from.
 */
public final class RequestBodies {

  private static final byte[] STREAM_OPTIONS_KEY =
      "\"stream_options\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INCLUDE_USAGE =
      "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);

  private RequestBodies() {}

  /** The offset of the first invalid UTF-8 byte sequence in {@code b}, or -1 when valid. */
  public static int invalidUtf8At(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      // ASCII fast path, 8 bytes at a time
      while (i + 8 <= n && ((b[i] | b[i + 1] | b[i + 2] | b[i + 3] | b[i + 4] | b[i + 5]
          | b[i + 6] | b[i + 7]) & 0x80) == 0) {
        i += 8;
      }
      if (i >= n) {
        break;
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + need >= n) {
        return i;
      }
      int cp = c & (0x3F >> need);
      for (int k = 1; k <= need; k++) {
        int d = b[i + k] & 0xFF;
        if ((d & 0xC0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (d & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }

  /** True when the bytes {@code "stream_options"} (a key, quotes unescaped) occur in the body. */
  public static boolean hasStreamOptions(byte[] body) {
    outer:
    for (int i = 0, last = body.length - STREAM_OPTIONS_KEY.length; i <= last; i++) {
      if (body[i] != '"') {
        continue;
      }
      for (int k = 1; k < STREAM_OPTIONS_KEY.length; k++) {
        if (body[i + k] != STREAM_OPTIONS_KEY[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * {@code body} with {@code "stream_options":{"include_usage":true}} as its first member, or null
   * when the body is not a non-empty JSON object (the caller then sends it unchanged).
   */
  public static byte[] withIncludeUsage(byte[] body) {
    int open = skipSpace(body, 0);
    if (open >= body.length || body[open] != '{') {
      return null;
    }
    int next = skipSpace(body, open + 1);
    if (next >= body.length || body[next] == '}') {
      return null;
    }
    byte[] out = new byte[body.length + INCLUDE_USAGE.length];
    System.arraycopy(body, 0, out, 0, open + 1);
    System.arraycopy(INCLUDE_USAGE, 0, out, open + 1, INCLUDE_USAGE.length);
    System.arraycopy(body, open + 1, out, open + 1 + INCLUDE_USAGE.length,
        body.length - open - 1);
    return out;
  }

  private static int skipSpace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }
}
