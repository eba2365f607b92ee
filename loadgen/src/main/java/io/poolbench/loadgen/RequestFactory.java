package io.poolbench.loadgen;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.prompt.ChatTemplate;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a trace row into an OpenAI request body: prompt text with exactly the row's prompt tokens
 * (for chat, after the chat template's overhead), {@code max_tokens} from the row's declared
 * output budget (or its actual output when it declares none), {@code ignore_eos} so that the
 * server generates that many tokens, and usage reporting for streams. Extra body fields (vllm
 * bench serve's {@code --extra-body} and sampling flags such as {@code --temperature}) are added
 * to every body and replace a field of the same name; without a {@code temperature} among them
 * the body asks for temperature 0.
 */
public final class RequestFactory {

  /** A plain mapper (no pretty printing) whose generators can write extra body values. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Api api;
  private final String model;
  private final boolean stream;
  private final boolean ignoreEos;
  private final ContentCategory defaultCategory;
  private final PromptSynthesizer prompts;
  private final Map<String, JsonNode> extraBody;

  public RequestFactory(Api api, String model, boolean stream, boolean ignoreEos,
      ContentCategory defaultCategory, PromptSynthesizer prompts) {
    this(api, model, stream, ignoreEos, defaultCategory, prompts, Map.of());
  }

  /**
   * @param extraBody fields added to every body, in order, replacing poolbench's field of the
   *     same name (e.g. {@code temperature}, {@code top_p}, {@code max_tokens})
   */
  public RequestFactory(Api api, String model, boolean stream, boolean ignoreEos,
      ContentCategory defaultCategory, PromptSynthesizer prompts, Map<String, JsonNode> extraBody) {
    this.extraBody = Collections.unmodifiableMap(new LinkedHashMap<>(extraBody));
    this.api = api;
    this.model = model;
    this.stream = stream;
    this.ignoreEos = ignoreEos;
    this.defaultCategory = defaultCategory;
    this.prompts = prompts;
  }

  /** The {@code max_tokens} sent for {@code r}: its declared budget, else its actual output, at least 1. */
  public static int maxTokens(TraceRequest r) {
    return Math.max(1, r.hasMaxTokens() ? r.maxTokens() : r.outputTokens());
  }

  /**
   * The content category of a row: its own when it names one of poolbench's categories (a
   * {@code long-} prefix, as in {@code builtin:long-mix}, is ignored), else the default.
   */
  public ContentCategory categoryOf(TraceRequest r) {
    String c = r.category();
    if (c == null || c.isEmpty()) {
      return defaultCategory;
    }
    String bare = c.toLowerCase(Locale.ROOT).startsWith("long-") ? c.substring(5) : c;
    for (ContentCategory category : ContentCategory.values()) {
      if (category.spelling().equalsIgnoreCase(bare)) {
        return category;
      }
    }
    return defaultCategory;
  }

  /**
   * Builds a throw-away prompt of every category, so that the tokenizer's vocabulary and the
   * prompt pieces are loaded before the first row is due rather than delaying it.
   */
  public void warmUp() {
    for (ContentCategory category : ContentCategory.values()) {
      for (int i = 0; i < 200; i++) {
        prompts.text(1024, category, Long.MAX_VALUE - i);
      }
    }
  }

  /** The body for row {@code index} (deterministic per seed and index). */
  public byte[] body(long index, TraceRequest r) {
    return body(r, Conversations.Turn.first(promptText(index, r)));
  }

  /**
   * The synthesized prompt of row {@code index}: the {@code prompt} of a completion, or the
   * content of a chat request's one user message (the template's tokens taken off).
   */
  String promptText(long index, TraceRequest r) {
    ContentCategory category = categoryOf(r);
    if (api == Api.CHAT) {
      int minimum = prompts.chatTemplate().minPromptTokens();
      TraceRequest fitted = r.promptTokens() >= minimum ? r : r.withTokens(minimum, r.outputTokens());
      return prompts.chatContent(fitted, category, index).text();
    }
    return prompts.text(r, category, index);
  }

  /** New text of {@code tokens} tokens for row {@code index}, continuing a conversation. */
  String continuationText(long index, TraceRequest r, int tokens) {
    return prompts.text(tokens, categoryOf(r), index);
  }

  /** Template tokens a conversation's next turn adds besides its text (chat: two messages). */
  int extraTokensPerTurn() {
    return api == Api.CHAT ? 2 * ChatTemplate.TOKENS_PER_MESSAGE : 0;
  }

  /**
   * The body for row {@code r} whose prompt is the conversation up to {@code turn}: for chat, the
   * turns' user messages and answers as alternating messages; for completions, their texts one
   * after the other.
   */
  byte[] body(TraceRequest r, Conversations.Turn turn) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(
        (int) Math.min(Integer.MAX_VALUE - 1024, turn.historyChars() + 256));
    try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      if (!extraBody.containsKey("model")) {
        g.writeStringField("model", model);
      }
      if (api == Api.CHAT && !extraBody.containsKey("messages")) {
        g.writeArrayFieldStart("messages");
        writeMessages(g, turn);
        g.writeEndArray();
      } else if (api != Api.CHAT && !extraBody.containsKey("prompt")) {
        if (turn.parent() == null) {
          g.writeStringField("prompt", turn.user());
        } else {
          StringBuilder prompt = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16,
              turn.historyChars()));
          appendText(prompt, turn);
          g.writeStringField("prompt", prompt.toString());
        }
      }
      if (!extraBody.containsKey("max_tokens")) {
        g.writeNumberField("max_tokens", maxTokens(r));
      }
      if (ignoreEos && !extraBody.containsKey("ignore_eos")) {
        g.writeBooleanField("ignore_eos", true);
      }
      if (!extraBody.containsKey("temperature")) {
        g.writeNumberField("temperature", 0);
      }
      if (!extraBody.containsKey("stream")) {
        g.writeBooleanField("stream", stream);
      }
      if (stream && !extraBody.containsKey("stream_options")) {
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      }
      for (Map.Entry<String, JsonNode> e : extraBody.entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeTree(e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeMessages(JsonGenerator g, Conversations.Turn turn) throws IOException {
    if (turn.parent() != null) {
      writeMessages(g, turn.parent());
    }
    writeMessage(g, "user", turn.user());
    if (turn.answer() != null) {
      writeMessage(g, "assistant", turn.answer());
    }
  }

  private static void writeMessage(JsonGenerator g, String role, String content)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("role", role);
    g.writeStringField("content", content);
    g.writeEndObject();
  }

  private static void appendText(StringBuilder sb, Conversations.Turn turn) {
    if (turn.parent() != null) {
      appendText(sb, turn.parent());
    }
    sb.append(turn.user());
    if (turn.answer() != null) {
      sb.append(turn.answer());
    }
  }
}
