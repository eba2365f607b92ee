package io.poolbench.router.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.poolbench.router.Api;
import io.poolbench.router.RequestView;
import io.poolbench.traces.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads what routing needs from an OpenAI-compatible request body with Jackson's streaming
 * {@link JsonParser} over the raw bytes, never building a tree: the UTF-8 byte length of the
 * prompt text (completions {@code prompt} as a string or list of strings; chat {@code messages}
 * {@code content} as a string or a list of parts with {@code text}), token-id prompts counted
 * exactly, {@code max_completion_tokens} (which wins) or {@code max_tokens}, {@code model},
 * {@code stream}, the number of image parts, and a bounded {@link TextSample}. Every other field
 * is skipped unread.
 *
 * <p>One inspector per thread: it reuses a small counting writer. The {@link JsonFactory} may be
 * shared.
 */
public final class RequestBodyInspector {

  private static final JsonFactory SHARED_FACTORY = new JsonFactory();

  private final JsonFactory factory;
  private final Utf8CountingWriter counter = new Utf8CountingWriter();
  private int images;

  public RequestBodyInspector() {
    this(SHARED_FACTORY);
  }

  public RequestBodyInspector(JsonFactory factory) {
    this.factory = factory;
  }

  /** Image parts seen in the last inspected body (chat {@code image_url} / {@code input_image}). */
  public int images() {
    return images;
  }

  /** {@link #inspect(byte[], int, int, RequestView, TextSample)} over a whole array. */
  public RequestView inspect(byte[] body, RequestView view, TextSample sample) {
    return inspect(body, 0, body.length, view, sample);
  }

  /**
   * Reads {@code body[offset, offset + length)} into {@code view}: sets the API (chat when the
   * body has {@code messages}, completions when it has {@code prompt}), prompt bytes, exact
   * token-id count, max tokens, model and stream; leaves the category alone. {@code sample} may
   * be null.
   *
   * @throws BadInputException when the body is not a JSON object or a routing field has the
   *     wrong type (the service answers 400)
   */
  public RequestView inspect(byte[] body, int offset, int length, RequestView view,
      TextSample sample) {
    return inspect(body, offset, length, view, sample, null);
  }

  /**
   * {@link #inspect(byte[], int, int, RequestView, TextSample)}, also feeding the prompt text
   * (prompt strings and message contents, in order) to {@code prefix} when it is not null (reset
   * first) for prefix-affinity routing.
   */
  public RequestView inspect(byte[] body, int offset, int length, RequestView view,
      TextSample sample, PrefixHasher prefix) {
    counter.reset(sample, prefix);
    images = 0;
    int tokenIds = -1;
    int maxTokens = RequestView.UNSET;
    int maxCompletionTokens = RequestView.UNSET;
    try (JsonParser p = factory.createParser(body, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadInputException("request body is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "prompt" -> {
            view.api(Api.COMPLETIONS);
            tokenIds = readPrompt(p, value, tokenIds);
          }
          case "messages" -> {
            view.api(Api.CHAT);
            readMessages(p, value);
          }
          case "max_tokens" -> maxTokens = readCap(p, value, field);
          case "max_completion_tokens" -> maxCompletionTokens = readCap(p, value, field);
          case "model" -> view.model(value == JsonToken.VALUE_STRING ? p.getText() : null);
          case "stream" -> view.stream(value == JsonToken.VALUE_TRUE);
          default -> p.skipChildren();
        }
      }
    } catch (StreamReadException e) {
      throw new BadInputException("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    view.promptBytes(counter.bytes());
    view.exactPromptTokens(tokenIds);
    view.maxTokens(maxCompletionTokens != RequestView.UNSET ? maxCompletionTokens : maxTokens);
    return view;
  }

  private void text(JsonParser p) throws IOException {
    counter.startValue();
    p.getText(counter);
  }

  private int readPrompt(JsonParser p, JsonToken value, int tokenIds) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      text(p);
      return tokenIds;
    }
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return tokenIds;
    }
    int ids = tokenIds;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.VALUE_STRING) {
        text(p);
      } else if (t == JsonToken.VALUE_NUMBER_INT) {
        ids = Math.max(ids, 0) + 1;
      } else if (t == JsonToken.START_ARRAY) { // a list of token-id lists
        for (JsonToken u = p.nextToken(); u != JsonToken.END_ARRAY; u = p.nextToken()) {
          if (u == JsonToken.VALUE_NUMBER_INT) {
            ids = Math.max(ids, 0) + 1;
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return ids;
  }

  private void readMessages(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("content")) {
          readContent(p, v);
        } else {
          p.skipChildren();
        }
      }
    }
  }

  private void readContent(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      text(p);
      return;
    }
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("text") && v == JsonToken.VALUE_STRING) {
          text(p);
        } else {
          if (field.equals("image_url") || field.equals("input_image")) {
            images++;
          }
          p.skipChildren();
        }
      }
    }
  }

  private static int readCap(JsonParser p, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return RequestView.UNSET;
    }
    if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
      int n = p.getIntValue();
      if (n >= 0) {
        return n;
      }
    }
    throw new BadInputException("request field '" + field + "' (" + p.getText()
        + ") is not a non-negative integer");
  }
}
