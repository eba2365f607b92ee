package io.poolbench.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Turns a trace row into an OpenAI request body: prompt text with exactly the row's prompt tokens
 * (for chat, after the chat template's overhead), {@code max_tokens} from the row's declared
 * output budget (or its actual output when it declares none), {@code ignore_eos} so that the
 * server generates that many tokens, and usage reporting for streams.
 */
public final class RequestFactory {

  private static final JsonFactory JSON = new JsonFactory();

  private final Api api;
  private final String model;
  private final boolean stream;
  private final boolean ignoreEos;
  private final ContentCategory defaultCategory;
  private final PromptSynthesizer prompts;

  public RequestFactory(Api api, String model, boolean stream, boolean ignoreEos,
      ContentCategory defaultCategory, PromptSynthesizer prompts) {
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
    ContentCategory category = categoryOf(r);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(r.promptTokens() * 5 + 256);
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      if (api == Api.CHAT) {
        int minimum = prompts.chatTemplate().minPromptTokens();
        TraceRequest fitted = r.promptTokens() >= minimum ? r : r.withTokens(minimum, r.outputTokens());
        g.writeArrayFieldStart("messages");
        g.writeStartObject();
        g.writeStringField("role", "user");
        g.writeStringField("content", prompts.chatContent(fitted, category, index).text());
        g.writeEndObject();
        g.writeEndArray();
      } else {
        g.writeStringField("prompt", prompts.text(r, category, index));
      }
      g.writeNumberField("max_tokens", maxTokens(r));
      if (ignoreEos) {
        g.writeBooleanField("ignore_eos", true);
      }
      g.writeNumberField("temperature", 0);
      g.writeBooleanField("stream", stream);
      if (stream) {
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
