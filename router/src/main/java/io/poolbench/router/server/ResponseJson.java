package io.poolbench.router.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the two things the router needs from upstream JSON without building a tree: the
 * {@code usage} token counts of a response or stream chunk, and the message of an error body in
 * either of vLLM's envelopes (nested {@code {"error":{"message":…}}} or flat
 * {@code {"object":"error","message":…}}). Unparseable input yields "nothing found".
 */
public final class ResponseJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private ResponseJson() {}

  /**
   * The top-level {@code usage} of {@code json[off, off+len)} as {@code prompt << 32 |
   * completion}, each -1 when absent; -1 (both absent) when there is no usage object.
   */
  public static long usage(byte[] json, int off, int len) {
    try (JsonParser p = FACTORY.createParser(json, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("usage") && v == JsonToken.START_OBJECT) {
          int prompt = -1;
          int completion = -1;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NUMBER_INT && f.equals("prompt_tokens")) {
              prompt = p.getIntValue();
            } else if (t == JsonToken.VALUE_NUMBER_INT && f.equals("completion_tokens")) {
              completion = p.getIntValue();
            } else {
              p.skipChildren();
            }
          }
          return pack(prompt, completion);
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Packs two token counts (each ≥ -1) the way {@link #usage} returns them. */
  public static long pack(int prompt, int completion) {
    return ((long) prompt << 32) | (completion & 0xFFFFFFFFL);
  }

  /** The prompt tokens of a packed usage, or -1. */
  public static int promptTokens(long packed) {
    return (int) (packed >> 32);
  }

  /** The completion tokens of a packed usage, or -1. */
  public static int completionTokens(long packed) {
    return (int) packed;
  }

  /** The error message in an error body, or null when there is none. */
  public static String errorMessage(byte[] json, int off, int len) {
    try (JsonParser p = FACTORY.createParser(json, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String flat = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("error") && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (f.equals("message") && t == JsonToken.VALUE_STRING) {
              return p.getText();
            }
            p.skipChildren();
          }
        } else if (field.equals("error") && v == JsonToken.VALUE_STRING) {
          return p.getText();
        } else if (field.equals("message") && v == JsonToken.VALUE_STRING) {
          flat = p.getText();
        } else {
          p.skipChildren();
        }
      }
      return flat;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
