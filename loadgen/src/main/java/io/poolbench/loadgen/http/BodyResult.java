package io.poolbench.loadgen.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What a non-streamed response body showed: usage for a completion, or the error message of
 * vLLM's error envelope (nested {@code {"error":{...}}} or the older flat
 * {@code {"object":"error","message":...}}).
 *
 * @param promptTokens {@code usage.prompt_tokens}, or -1
 * @param completionTokens {@code usage.completion_tokens}, or -1
 * @param errorMessage the error message, or null
 * @param errorCode the error's {@code code} (0 when absent)
 * @param parseable false when the body was not a JSON object
 * @param cachedTokens {@code usage.prompt_tokens_details.cached_tokens}, or -1
 */
public record BodyResult(
    int promptTokens, int completionTokens, String errorMessage, int errorCode, boolean parseable,
    int cachedTokens) {

  /** A result without a cached-token count. */
  public BodyResult(int promptTokens, int completionTokens, String errorMessage, int errorCode,
      boolean parseable) {
    this(promptTokens, completionTokens, errorMessage, errorCode, parseable, -1);
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** Parses a body without building a tree; never throws on bad input. */
  public static BodyResult parse(byte[] bytes, int length) {
    return parse(bytes, length, null);
  }

  /**
   * Like {@link #parse(byte[], int)}, also appending the first choice's text ({@code text} of a
   * completion, {@code message.content} of a chat completion) to {@code text} when it is not null.
   */
  public static BodyResult parse(byte[] bytes, int length, StringBuilder text) {
    int[] usage = {-1, -1, -1};
    String[] error = {null};
    int[] code = {0};
    boolean flatError = false;
    String flatMessage = null;
    try (JsonParser p = JSON.createParser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new BodyResult(-1, -1, null, 0, false);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "usage" -> readUsage(p, v, usage);
          case "error" -> readError(p, v, error, code);
          case "choices" -> {
            if (text != null && v == JsonToken.START_ARRAY) {
              readFirstChoiceText(p, text);
            } else {
              p.skipChildren();
            }
          }
          case "object" -> flatError = v == JsonToken.VALUE_STRING && p.getText().equals("error");
          case "message" -> flatMessage = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "code" -> {
            if (v == JsonToken.VALUE_NUMBER_INT) {
              code[0] = p.getIntValue();
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      return new BodyResult(usage[0], usage[1], error[0], code[0], false);
    }
    String message = error[0] != null ? error[0] : flatError ? flatMessage : null;
    return new BodyResult(usage[0], usage[1], message, code[0], true, usage[2]);
  }

  /** Appends choices[0]'s text or message.content; leaves the parser at the array's end. */
  private static void readFirstChoiceText(JsonParser p, StringBuilder text) throws IOException {
    boolean first = true;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (first && field.equals("text") && v == JsonToken.VALUE_STRING) {
          text.append(p.getText());
        } else if (first && field.equals("message") && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String m = p.currentName();
            JsonToken mv = p.nextToken();
            if (m.equals("content") && mv == JsonToken.VALUE_STRING) {
              text.append(p.getText());
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      first = false;
    }
  }

  private static void readUsage(JsonParser p, JsonToken v, int[] usage) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NUMBER_INT && name.equals("prompt_tokens")) {
        usage[0] = p.getIntValue();
      } else if (t == JsonToken.VALUE_NUMBER_INT && name.equals("completion_tokens")) {
        usage[1] = p.getIntValue();
      } else if (t == JsonToken.START_OBJECT && name.equals("prompt_tokens_details")) {
        usage[2] = cachedTokens(p, usage[2]);
      } else {
        p.skipChildren();
      }
    }
  }

  /**
   * Reads a {@code prompt_tokens_details} object (the parser on its start) and returns its
   * {@code cached_tokens}, or {@code otherwise} when it has none.
   */
  public static int cachedTokens(JsonParser p, int otherwise) throws IOException {
    int cached = otherwise;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NUMBER_INT && name.equals("cached_tokens")) {
        cached = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
    return cached;
  }

  private static void readError(JsonParser p, JsonToken v, String[] error, int[] code)
      throws IOException {
    if (v == JsonToken.VALUE_STRING) {
      error[0] = p.getText();
      return;
    }
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    error[0] = "error";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals("message") && t == JsonToken.VALUE_STRING) {
        error[0] = p.getText();
      } else if (name.equals("code") && t == JsonToken.VALUE_NUMBER_INT) {
        code[0] = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
  }
}
