package io.poolbench.traces.format.generic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.poolbench.traces.format.Ascii;
import io.poolbench.traces.format.RowException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a {@code hash_ids} value, a JSON list of 64-bit integers such as {@code [46, 47]}, with a
 * buffer reused across rows. Anything else (a string, a fraction, a nested list, a number beyond
 * 64 bits) is a bad row whose message quotes the whole value.
 */
final class HashIdList {
  private static final JsonFactory JSON = new JsonFactory();

  private long[] buffer = new long[64];

  /**
   * Reads the value whose first token {@code p} has just returned, from JSONL row bytes
   * {@code b[start, ...)}; leaves the parser on the value's last token.
   */
  long[] read(JsonParser p, JsonToken first, String key, byte[] b, int start)
      throws IOException, RowException {
    long from = p.currentTokenLocation().getByteOffset();
    long[] ids = ids(p, first);
    if (ids == null) {
      long to = p.currentLocation().getByteOffset();
      throw notAList(key, b, start + (int) from, start + (int) to);
    }
    return ids;
  }

  /** Reads a whole CSV field {@code b[start, end)} (non-empty) as a list. */
  long[] read(byte[] b, int start, int end, String key) throws RowException {
    try (JsonParser p = JSON.createParser(b, start, end - start)) {
      long[] ids = ids(p, p.nextToken());
      if (ids != null && p.nextToken() == null) {
        return ids;
      }
    } catch (JsonProcessingException e) {
      // reported below: not a JSON list
    } catch (IOException e) {
      throw new RowException(key + " is unreadable (" + e.getMessage() + ")");
    }
    throw notAList(key, b, start, end);
  }

  /** The list's ids, or null when the value is not a list of 64-bit integers. */
  private long[] ids(JsonParser p, JsonToken first) throws IOException {
    if (first != JsonToken.START_ARRAY) {
      if (first != null) {
        p.finishToken(); // so that the location lies past the whole scalar
        p.skipChildren();
      }
      return null;
    }
    boolean integers = true;
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new JsonParseException(p, "unclosed list");
      }
      if (t == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        if (n == buffer.length) {
          buffer = Arrays.copyOf(buffer, n * 2);
        }
        buffer[n++] = p.getLongValue();
      } else {
        integers = false;
        p.finishToken();
        p.skipChildren(); // a nested list or object: to its end
      }
    }
    return integers ? Arrays.copyOf(buffer, n) : null;
  }

  private static RowException notAList(String key, byte[] b, int start, int end) {
    return new RowException(key + " '" + Ascii.quote(b, start, end)
        + "' is not a list of integers: expected e.g. [46, 47], each within 64 bits");
  }
}
