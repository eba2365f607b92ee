package io.poolbench.loadgen.sse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.poolbench.loadgen.http.BodyResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * Follows one streamed OpenAI-style response ({@code /v1/completions} or
 * {@code /v1/chat/completions} with {@code stream: true}) as its bytes arrive, timestamping each
 * content chunk: first-token time, the gap before every later chunk (inter-token latency as
 * {@code vllm bench serve} records it, per chunk), the usage chunk, in-stream errors and whether
 * the stream ended with {@code data: [DONE]}.
 *
 * <p>A content chunk is one whose choice carries non-empty {@code text} (completions) or
 * {@code delta.content} (chat); the chat role chunk with empty content does not count, as vLLM's
 * own benchmark does. Not thread-safe: one tracker per response.
 */
public final class StreamTracker implements SseParser.Listener {

  private static final JsonFactory JSON = new JsonFactory();

  private final SseParser parser = new SseParser(this);
  private final LongConsumer interChunkGapNanos;
  private long nowNanos;

  private long firstContentNanos;
  private long lastContentNanos;
  private int contentChunks;
  private int promptTokens = -1;
  private int completionTokens = -1;
  private int cachedTokens = -1;
  private String finishReason;
  private String errorMessage;
  private int errorCode;
  private boolean done;
  private int malformedEvents;
  private boolean eventsAfterDone;
  private StringBuilder text;

  /**
   * @param interChunkGapNanos receives the gap in nanoseconds before each content chunk after the
   *     first (streamed into a histogram by the caller; nothing is kept here)
   */
  public StreamTracker(LongConsumer interChunkGapNanos) {
    this.interChunkGapNanos = interChunkGapNanos;
  }

  /**
   * Appends the text the stream carries ({@code text} of completions, {@code delta.content} of
   * chat) to {@code sink} from now on; by default it is only looked at, not kept.
   */
  public void captureText(StringBuilder sink) {
    this.text = sink;
  }

  /** Feeds bytes that arrived at {@code arrivalNanos} (a {@link System#nanoTime()} reading). */
  public void onBytes(long arrivalNanos, ByteBuffer bytes) {
    this.nowNanos = arrivalNanos;
    parser.feed(bytes);
  }

  /** Feeds bytes that arrived at {@code arrivalNanos}. */
  public void onBytes(long arrivalNanos, byte[] bytes, int offset, int length) {
    this.nowNanos = arrivalNanos;
    parser.feed(bytes, offset, length);
  }

  @Override
  public void onEvent(String eventType, String data) {
    if (done) {
      eventsAfterDone = true;
      return;
    }
    if (data.equals("[DONE]")) {
      done = true;
      return;
    }
    try (JsonParser p = JSON.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        malformedEvents++;
        return;
      }
      readChunk(p);
    } catch (IOException e) {
      malformedEvents++;
    }
  }

  private void readChunk(JsonParser p) throws IOException {
    boolean content = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "choices" -> content = readChoices(p, value);
        case "usage" -> readUsage(p, value);
        case "error" -> readError(p, value);
        default -> p.skipChildren();
      }
    }
    if (content) {
      if (contentChunks == 0) {
        firstContentNanos = nowNanos;
      } else {
        interChunkGapNanos.accept(nowNanos - lastContentNanos);
      }
      lastContentNanos = nowNanos;
      contentChunks++;
    }
  }

  private boolean readChoices(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return false;
    }
    boolean content = false;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "text" -> {
            if (v == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
              content = true;
              if (text != null) {
                text.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
              }
            }
          }
          case "delta" -> content |= readDelta(p, v);
          case "finish_reason" -> {
            if (v == JsonToken.VALUE_STRING) {
              finishReason = p.getText();
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    return content;
  }

  private boolean readDelta(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    boolean content = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if ((field.equals("content") || field.equals("reasoning_content"))
          && v == JsonToken.VALUE_STRING) {
        boolean some = p.getTextLength() > 0;
        content |= some;
        if (some && text != null && field.equals("content")) {
          text.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
      } else {
        p.skipChildren();
      }
    }
    return content;
  }

  private void readUsage(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NUMBER_INT && field.equals("prompt_tokens")) {
        promptTokens = p.getIntValue();
      } else if (v == JsonToken.VALUE_NUMBER_INT && field.equals("completion_tokens")) {
        completionTokens = p.getIntValue();
      } else if (v == JsonToken.START_OBJECT && field.equals("prompt_tokens_details")) {
        cachedTokens = BodyResult.cachedTokens(p, cachedTokens);
      } else {
        p.skipChildren();
      }
    }
  }

  private void readError(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      errorMessage = value == JsonToken.VALUE_STRING ? p.getText() : "error";
      p.skipChildren();
      return;
    }
    errorMessage = "error";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("message") && v == JsonToken.VALUE_STRING) {
        errorMessage = p.getText();
      } else if (field.equals("code") && v == JsonToken.VALUE_NUMBER_INT) {
        errorCode = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
  }

  /** What the stream showed so far; call at end of body (or on failure) for the final account. */
  public StreamResult result() {
    return new StreamResult(done, parser.hasPartialEvent(), contentChunks, firstContentNanos,
        lastContentNanos, promptTokens, completionTokens, finishReason, errorMessage, errorCode,
        malformedEvents, eventsAfterDone, parser.comments(), cachedTokens);
  }
}
