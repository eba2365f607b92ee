package io.poolbench.harness.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.poolbench.harness.engine.Outcome;
import java.nio.charset.StandardCharsets;

/**
 * One generation request on one connection, from acceptance to the last byte: it turns the
 * engine's token deliveries into vLLM's SSE chunks (§3.3) or one JSON body (§3.1, §3.2). All
 * methods except the constructor, {@link #cancelled} and the {@code post*} methods run on the
 * channel's event loop.
 */
final class Exchange {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  final MockInstance instance;
  final Channel channel;
  final boolean keepAlive;
  final long arrivalModelNanos;
  final String requestIdHeader;
  GenerationRequest request;
  Choice[] choices;
  /** Set (by the event loop) when the client went away; read by the driver. */
  volatile boolean cancelled;

  private String idJson;
  private long created;
  private boolean headersSent;
  private boolean done;
  private int unfinished;
  private final StringBuilder sb = new StringBuilder(256);

  Exchange(MockInstance instance, Channel channel, boolean keepAlive, long arrivalModelNanos,
      String requestIdHeader) {
    this.instance = instance;
    this.channel = channel;
    this.keepAlive = keepAlive;
    this.arrivalModelNanos = arrivalModelNanos;
    this.requestIdHeader = requestIdHeader;
  }

  /** Fills in the parsed request and its choices (worker thread, before the driver sees it). */
  void prepare(GenerationRequest req, Choice[] cs, String id, long createdSeconds) {
    this.request = req;
    this.choices = cs;
    StringBuilder q = new StringBuilder();
    ApiError.quote(q, id);
    this.idJson = q.toString();
    this.created = createdSeconds;
    this.unfinished = cs.length;
  }

  boolean isDone() {
    return done;
  }

  // ---- called from other threads: hop onto the event loop ----

  void postAccepted() {
    channel.eventLoop().execute(this::accepted);
  }

  void postRejected(ApiError error) {
    channel.eventLoop().execute(() -> reject(error));
  }


  // ---- event loop ----

  private void accepted() {
    if (done || !request.stream()) {
      return;
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    if (!keepAlive) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    headersSent = true;
    channel.writeAndFlush(head);
  }

  void reject(ApiError error) {
    if (done) {
      return;
    }
    done = true;
    instance.respond(channel, keepAlive, error);
    instance.exchangeEnded(this);
  }

  /** New tokens (and possibly the end) of choice {@code c}; on the event loop. */
  void tokens(Choice c, int count, Outcome outcome) {
    if (done) {
      return;
    }
    c.generated += count;
    c.pending += count;
    if (outcome != null) {
      switch (outcome) {
        case Outcome.Completed ignored -> {
          c.finished = true;
          unfinished--;
        }
        case Outcome.EngineDead ignored -> {
          failDead();
          return;
        }
        case Outcome.Aborted ignored -> {
          done = true;
          instance.exchangeEnded(this);
          return;
        }
        case Outcome.ContextRejected r -> {
          reject(ApiError.badRequest(r.message()));
          return;
        }
        case Outcome.QueueFull q -> {
          reject(new ApiError(503, "QueueOverflowError", q.message(), null));
          return;
        }
        case Outcome.Unavailable u -> {
          failDead();
          return;
        }
      }
    }
    if (request.stream()) {
      flushStream();
    } else if (unfinished == 0) {
      writeBody();
    }
  }

  /** Writes what is pending on every choice, as far as the connection accepts it. */
  void flushStream() {
    if (done || !headersSent || !channel.isWritable()) {
      return;
    }
    int interval = instance.settings().streamInterval();
    boolean wrote = false;
    for (Choice c : choices) {
      boolean due = c.pending > 0 && (c.sent == 0 || c.pending >= interval || c.finished);
      if (!due) {
        continue;
      }
      if (request.chat() && !c.roleSent) {
        c.roleSent = true;
        writeEvent(chatRoleChunk(c));
      }
      int n = c.pending;
      c.pending = 0;
      c.sent += n;
      boolean last = c.finished;
      if (last) {
        c.finishSent = true;
      }
      writeEvent(request.chat() ? chatChunk(c, n, last) : completionChunk(c, n, last));
      wrote = true;
      if (c.dropAfter > 0 && c.sent >= c.dropAfter && !last) {
        channel.flush();
        channel.close();
        return;
      }
    }
    if (unfinished == 0 && allSent()) {
      if (request.includeUsage()) {
        writeEvent(usageChunk());
      }
      channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(DONE)));
      finishResponse(LastHttpContent.EMPTY_LAST_CONTENT);
    } else if (wrote) {
      channel.flush();
    }
  }

  private boolean allSent() {
    for (Choice c : choices) {
      if (!c.finishSent) {
        return false;
      }
    }
    return true;
  }

  /** Ends the exchange because the engine died: SSE error event + [DONE], or HTTP 500. */
  private void failDead() {
    ErrorStyle style = instance.settings().errorStyle();
    if (request.stream() && headersSent) {
      ApiError e = style == ErrorStyle.NESTED ? ApiError.engineDead()
          : ApiError.badRequest(io.poolbench.harness.engine.Outcome.EngineDead.MESSAGE);
      sb.setLength(0);
      sb.append(e.streamEventJson(style));
      writeEvent(sb);
      channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(DONE)));
      finishResponse(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      done = true;
      instance.respondEngineDead(channel, keepAlive);
      instance.exchangeEnded(this);
    }
  }

  private void finishResponse(LastHttpContent last) {
    done = true;
    var f = channel.writeAndFlush(last);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    instance.exchangeEnded(this);
  }

  private void writeEvent(CharSequence json) {
    ByteBuf buf = channel.alloc().buffer(json.length() + 8);
    buf.writeBytes(DATA_PREFIX);
    ByteBufUtil.writeUtf8(buf, json);
    buf.writeByte('\n').writeByte('\n');
    // A plain ByteBuf after the chunked head is encoded as one chunk (no HttpContent wrapper).
    channel.write(buf);
  }

  private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);

  private void head(String object) {
    sb.setLength(0);
    sb.append("{\"id\":").append(idJson).append(",\"object\":\"").append(object)
        .append("\",\"created\":").append(created).append(",\"model\":")
        .append(instance.modelNameJson());
  }

  private CharSequence completionChunk(Choice c, int tokens, boolean last) {
    head("text_completion");
    sb.append(",\"choices\":[{\"index\":").append(c.index).append(",\"text\":\"");
    instance.vocabulary().append(sb, c.rng, tokens);
    sb.append("\",\"logprobs\":null,\"finish_reason\":");
    if (last) {
      sb.append('"').append(c.finishReason()).append('"');
    } else {
      sb.append("null");
    }
    sb.append(",\"stop_reason\":null}],\"usage\":");
    if (request.continuousUsage()) {
      completionUsage(c.promptTokens, c.sent);
    } else {
      sb.append("null");
    }
    return sb.append('}');
  }

  private CharSequence chatRoleChunk(Choice c) {
    head("chat.completion.chunk");
    sb.append(",\"choices\":[{\"index\":").append(c.index)
        .append(",\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
            + "\"finish_reason\":null}]");
    if (request.continuousUsage()) {
      sb.append(",\"usage\":");
      chatUsage(c.promptTokens, 0);
    }
    return sb.append('}');
  }

  private CharSequence chatChunk(Choice c, int tokens, boolean last) {
    head("chat.completion.chunk");
    sb.append(",\"choices\":[{\"index\":").append(c.index).append(",\"delta\":{\"content\":\"");
    instance.vocabulary().append(sb, c.rng, tokens);
    sb.append("\"},\"logprobs\":null,\"finish_reason\":");
    if (last) {
      sb.append('"').append(c.finishReason()).append("\",\"stop_reason\":null}]");
    } else {
      sb.append("null}]");
    }
    if (request.continuousUsage()) {
      sb.append(",\"usage\":");
      chatUsage(c.promptTokens, c.sent);
    }
    return sb.append('}');
  }

  private CharSequence usageChunk() {
    int prompt = 0;
    int completion = 0;
    for (Choice c : choices) {
      completion += c.generated;
    }
    for (int p : request.promptTokens()) {
      prompt += p;
    }
    head(request.chat() ? "chat.completion.chunk" : "text_completion");
    sb.append(",\"choices\":[],\"usage\":");
    if (request.chat()) {
      chatUsage(prompt, completion);
    } else {
      completionUsage(prompt, completion);
    }
    return sb.append('}');
  }

  /**
   * Prompt tokens the engine found cached, over the request's prompts (each prompt counted once
   * however many samples {@code n} it has, as vLLM counts its prompt once).
   */
  private int cachedTokens() {
    int cached = 0;
    for (int i = 0; i < choices.length; i += request.n()) {
      cached += choices[i].cachedTokens;
    }
    return cached;
  }

  /** Closes a usage object: {@code prompt_tokens_details} as vLLM writes it, then the brace. */
  private void usageEnd(boolean nullDetails) {
    if (instance.settings().promptTokensDetails()) {
      sb.append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(cachedTokens())
          .append('}');
    } else if (nullDetails) {
      sb.append(",\"prompt_tokens_details\":null");
    }
    sb.append('}');
  }

  private void completionUsage(int prompt, int completion) {
    sb.append("{\"prompt_tokens\":").append(prompt).append(",\"total_tokens\":")
        .append(prompt + completion).append(",\"completion_tokens\":").append(completion);
    usageEnd(false);
  }

  private void chatUsage(int prompt, int completion) {
    sb.append("{\"prompt_tokens\":").append(prompt).append(",\"completion_tokens\":")
        .append(completion).append(",\"total_tokens\":").append(prompt + completion);
    usageEnd(false);
  }

  /** The non-streaming body (§3.1 / §3.2). */
  private void writeBody() {
    int prompt = 0;
    int completion = 0;
    for (int p : request.promptTokens()) {
      prompt += p;
    }
    head(request.chat() ? "chat.completion" : "text_completion");
    sb.append(",\"choices\":[");
    for (int i = 0; i < choices.length; i++) {
      Choice c = choices[i];
      completion += c.generated;
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"index\":").append(c.index);
      if (request.chat()) {
        sb.append(",\"message\":{\"role\":\"assistant\",\"content\":\"");
        instance.vocabulary().append(sb, c.rng, c.generated);
        sb.append("\",\"refusal\":null,\"annotations\":null,\"audio\":null,"
            + "\"function_call\":null,\"tool_calls\":[],\"reasoning_content\":null},"
            + "\"logprobs\":null,\"finish_reason\":\"").append(c.finishReason())
            .append("\",\"stop_reason\":null}");
      } else {
        sb.append(",\"text\":\"");
        instance.vocabulary().append(sb, c.rng, c.generated);
        sb.append("\",\"logprobs\":null,\"finish_reason\":\"").append(c.finishReason())
            .append("\",\"stop_reason\":null,\"prompt_logprobs\":null}");
      }
    }
    sb.append("],\"service_tier\":null,\"system_fingerprint\":null,\"usage\":{\"prompt_tokens\":")
        .append(prompt).append(",\"total_tokens\":").append(prompt + completion)
        .append(",\"completion_tokens\":").append(completion);
    usageEnd(true);
    if (request.chat()) {
      sb.append(",\"prompt_logprobs\":null");
    }
    sb.append(",\"kv_transfer_params\":null}");
    ByteBuf buf = ByteBufUtil.writeUtf8(channel.alloc(), sb);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK, buf);
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
    done = true;
    instance.send(channel, keepAlive, res);
    instance.exchangeEnded(this);
  }

  /** The client went away (event loop): the driver aborts the engine requests. */
  void clientGone() {
    if (done) {
      return;
    }
    done = true;
    cancelled = true;
    instance.abort(this);
    instance.exchangeEnded(this);
  }
}
