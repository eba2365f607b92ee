package io.poolbench.router.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.poolbench.router.ContextLengthErrors;
import io.poolbench.router.Outcome;
import io.poolbench.router.RouteDecision;
import io.poolbench.router.server.ProxyMetrics.Failure;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One proxied completion request, from its routing decision to the last byte the client gets.
 * Every method runs on the client connection's event loop, which also owns the pooled upstream
 * connections it uses, so no state here needs synchronization.
 *
 * <p>Lifecycle: pick an available endpoint in the decided pool and acquire a keep-alive
 * connection. A failure before any byte reached the client (connect error, connection closed,
 * 500/502/503/504, first-byte timeout) is sent again to another endpoint, up to the configured
 * {@code retries}; connect errors, closes and 5xx also eject the endpoint. A 2xx head is
 * forwarded at once and the body follows chunk by chunk (SSE through {@link SseFilter}), with
 * the upstream's reads paused while the client cannot take more. A non-2xx answer is buffered:
 * vLLM's context-length 400 from a pool with a larger one behind it is retried there (a
 * misroute), a retryable 5xx goes to another endpoint, anything else is forwarded. Usage from
 * the response feeds the router; failures after the head end an SSE stream with an error event
 * and {@code [DONE]}.
 */
final class Exchange {

  private static final int MAX_USAGE_COPY_BYTES = 4 << 20;

  private final ProxyServer server;
  private final ChannelHandlerContext client;
  private final String uri;
  private final HttpHeaders requestHeaders;
  private final boolean clientKeepAlive;
  private final ByteBuf body;
  private final boolean stream;
  private final boolean stripUsage;
  private final RouteDecision decision;
  private final long tokens;
  private final long startNanos;

  private UpstreamPool pool;
  private int endpoint = -1;
  private boolean held;
  private long excluded;
  private int excludedPool = -1;
  private int retriesLeft;
  private Channel upstream;
  private SimpleChannelPool channelPool;
  private long sentNanos;
  private long lastReadNanos;
  private boolean headReceived;
  private boolean headSent;
  private boolean upstreamKeepAlive;
  private int status;
  private CompositeByteBuf buffered;
  private CompositeByteBuf usageCopy;
  private SseFilter sse;
  private ScheduledFuture<?> timer;
  private boolean finished;
  /** The prompt's block hashes for prefix affinity, or null. */
  private final long[] prefix;

  Exchange(ProxyServer server, ChannelHandlerContext client, FullHttpRequest request, byte[] body,
      boolean stream, boolean stripUsage, RouteDecision decision, long[] prefix) {
    this.server = server;
    this.client = client;
    this.uri = request.uri();
    this.requestHeaders = request.headers().copy();
    this.clientKeepAlive = HttpUtil.isKeepAlive(request);
    this.body = Unpooled.wrappedBuffer(body);
    this.stream = stream;
    this.stripUsage = stripUsage;
    this.decision = decision;
    this.prefix = prefix;
    this.tokens = decision.estimatedTotalTokens();
    this.startNanos = System.nanoTime();
    this.retriesLeft = server.settings().retries();
  }

  /** Starts dispatching to the decided pool. */
  void start() {
    dispatch();
  }

  private void dispatch() {
    long now = System.nanoTime();
    UpstreamPool[] pools = server.pools();
    int e = -1;
    int p = decision.pool();
    for (; p < pools.length; p++) {
      e = pools[p].pick(tokens, now, p == excludedPool ? excluded : 0, prefix);
      if (e >= 0) {
        break;
      }
    }
    if (e < 0) {
      server.metrics().reject(ProxyMetrics.Rejection.NO_ENDPOINT);
      server.router().feedback(decision, Outcome.OVERLOAD, -1, -1, -1);
      respondError(503, "no healthy endpoint in pool '" + pools[decision.pool()].name()
          + "' or any larger pool");
      return;
    }
    pool = pools[p];
    endpoint = e;
    pool.endpoints.acquire(e, tokens);
    if (prefix != null) {
      pool.picker.dispatched(e, prefix, prefix.length);
    }
    held = true;
    server.load().started(pool.index);
    server.metrics().requests[pool.index].increment();
    channelPool = server.channelPool(client.channel().eventLoop(), pool.index, e);
    channelPool.acquire().addListener(this::onAcquired);
  }

  private void onAcquired(Future<? super Channel> f) {
    if (!f.isSuccess()) {
      releaseEndpoint();
      server.metrics().failure(Failure.CONNECT);
      pool.health[endpoint].failure(System.nanoTime(), "connect: " + f.cause().getMessage());
      if (finished) {
        return;
      }
      retryElsewhere(ProxyMetrics.Retry.CONNECT, "could not connect to "
          + pool.authorities[endpoint] + ": " + f.cause().getMessage());
      return;
    }
    Channel ch = (Channel) f.getNow();
    if (finished) {
      channelPool.release(ch);
      return;
    }
    upstream = ch;
    ch.attr(UpstreamHandler.EXCHANGE).set(this);
    headReceived = false;
    status = 0;
    DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.POST, uri, body.retainedDuplicate());
    HttpHeaders h = req.headers();
    for (Map.Entry<String, String> header : requestHeaders) {
      if (!hopByHop(header.getKey())) {
        h.add(header.getKey(), header.getValue());
      }
    }
    h.set(HttpHeaderNames.HOST, pool.authorities[endpoint]);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    sentNanos = System.nanoTime();
    lastReadNanos = sentNanos;
    ch.writeAndFlush(req).addListener((ChannelFutureListener) w -> {
      if (!w.isSuccess() && upstream == w.channel()) {
        onUpstreamFailure((w.cause() instanceof javax.net.ssl.SSLException
            ? "TLS handshake with " + pool.authorities[endpoint] + " failed: "
            : "could not send to upstream: ") + w.cause().getMessage());
      }
    });
    armTimer(server.settings().firstByteTimeoutNanos());
  }

  /**
   * After a failure before any byte reached the client: dispatches again, away from this
   * endpoint, while retries are left; else answers 502 with {@code why}.
   */
  private void retryElsewhere(ProxyMetrics.Retry reason, String why) {
    if (retry(reason)) {
      return;
    }
    server.metrics().reject(ProxyMetrics.Rejection.UPSTREAM_ERROR);
    server.router().feedback(decision, Outcome.ENGINE_FAILURE, -1, -1, -1);
    respondError(502, why);
  }

  /**
   * Sends the request again, away from the failed endpoint, if a retry is left and another
   * endpoint can take it (else the caller reports this failure, not "no endpoint").
   */
  private boolean retry(ProxyMetrics.Retry reason) {
    if (!canRetry()) {
      return false;
    }
    retriesLeft--;
    excluded = withoutThisEndpoint();
    excludedPool = pool.index;
    server.metrics().retry(reason);
    dispatch();
    return true;
  }

  /** True when a retry is left and an endpoint other than those tried can take the request. */
  private boolean canRetry() {
    if (retriesLeft <= 0 || finished) {
      return false;
    }
    long without = withoutThisEndpoint();
    UpstreamPool[] pools = server.pools();
    long now = System.nanoTime();
    for (int p = decision.pool(); p < pools.length; p++) {
      if (pools[p].anyAvailable(now, p == pool.index ? without : 0)) {
        return true;
      }
    }
    return false;
  }

  private long withoutThisEndpoint() {
    return (excludedPool == pool.index ? excluded : 0) | (endpoint < 64 ? 1L << endpoint : 0);
  }

  // ---- upstream events -------------------------------------------------------------------

  void onHead(HttpResponse head) {
    headReceived = true;
    lastReadNanos = System.nanoTime();
    status = head.status().code();
    upstreamKeepAlive = HttpUtil.isKeepAlive(head);
    server.metrics().firstByte[pool.index].recordNanos(lastReadNanos - sentNanos);
    if (status < 200 || status >= 300) {
      buffered = client.alloc().compositeBuffer(64);
      return;
    }
    armTimer(server.settings().idleTimeoutNanos());
    String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (stream && type != null && type.startsWith("text/event-stream")) {
      sse = new SseFilter(stripUsage);
    } else {
      usageCopy = client.alloc().compositeBuffer(64);
    }
    HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, head.status());
    copyResponseHeaders(head.headers(), out.headers());
    String length = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
    if (sse == null && length != null) {
      out.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    } else {
      out.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    headSent = true;
    client.write(out);
  }

  void onContent(HttpContent content) {
    lastReadNanos = System.nanoTime();
    boolean last = content instanceof LastHttpContent;
    if (finished) {
      content.release();
      return;
    }
    if (buffered != null) {
      buffered.addComponent(true, content.content().retain());
      content.release();
      if (last) {
        onErrorBody();
      }
      return;
    }
    if (sse != null) {
      ByteBuf forward = sse.feed(client.alloc(), content.content().retain());
      content.release();
      if (forward != null) {
        client.write(new DefaultHttpContent(forward));
      }
      if (last) {
        complete(sse.error() ? Outcome.ENGINE_FAILURE : Outcome.OK, sse.usage(),
            LastHttpContent.EMPTY_LAST_CONTENT);
        return;
      }
    } else {
      if (usageCopy != null) {
        if (usageCopy.readableBytes() + content.content().readableBytes()
            <= MAX_USAGE_COPY_BYTES) {
          usageCopy.addComponent(true, content.content().retainedDuplicate());
        } else {
          usageCopy.release();
          usageCopy = null;
        }
      }
      if (last) {
        long usage = -1;
        if (usageCopy != null) {
          byte[] bytes = ByteBufUtil.getBytes(usageCopy);
          usage = ResponseJson.usage(bytes, 0, bytes.length);
        }
        complete(Outcome.OK, usage, content);
        return;
      }
      client.write(content);
    }
    if (!client.channel().isWritable() && upstream != null) {
      upstream.config().setAutoRead(false);
    }
  }

  /** The client's connection can take more again: resume reading upstream. */
  void onClientWritable() {
    if (upstream != null && !finished) {
      upstream.config().setAutoRead(true);
    }
  }

  void flushClient() {
    client.flush();
  }

  private void onErrorBody() {
    byte[] bytes = ByteBufUtil.getBytes(buffered);
    String message = ResponseJson.errorMessage(bytes, 0, bytes.length);
    long latency = System.nanoTime() - sentNanos;
    if (status == 400 && ContextLengthErrors.isContextLengthError(message)) {
      server.router().feedback(decision, Outcome.CONTEXT_LENGTH, -1, -1, latency);
      int from = pool.index;
      if (server.router().fallback(decision)) {
        server.metrics().fallbacks[from].increment();
        releaseBuffered();
        releaseUpstream(true);
        releaseEndpoint();
        excluded = 0;
        excludedPool = -1;
        dispatch();
        return;
      }
    } else if (status >= 500) {
      server.metrics().failure(Failure.STATUS_5XX);
      pool.health[endpoint].failure(System.nanoTime(), "HTTP " + status);
      ProxyMetrics.Retry reason = ProxyMetrics.Retry.forStatus(status);
      if (reason != null && canRetry()) {
        releaseBuffered();
        releaseUpstream(upstreamKeepAlive);
        releaseEndpoint();
        retry(reason);
        return;
      }
      server.router().feedback(decision, Outcome.ENGINE_FAILURE, -1, -1, latency);
    } else if (status == 429) {
      server.router().feedback(decision, Outcome.OVERLOAD, -1, -1, latency);
    }
    DefaultFullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), buffered);
    buffered = null;
    out.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
    addRouterHeaders(out.headers());
    headSent = true;
    finish(true);
    writeLast(out);
  }

  /** The upstream connection failed or closed before the response ended. */
  void onUpstreamFailure(String why) {
    if (finished) {
      return;
    }
    if (!headReceived) {
      if (upstream != null) {
        upstream.attr(UpstreamHandler.EXCHANGE).set(null);
        upstream.close();
        channelPool.release(upstream);
        upstream = null;
      }
      releaseEndpoint();
      server.metrics().failure(Failure.CLOSED);
      pool.health[endpoint].failure(System.nanoTime(), why);
      retryElsewhere(ProxyMetrics.Retry.CLOSED, why);
      return;
    }
    server.metrics().failure(Failure.CLOSED);
    pool.health[endpoint].failure(System.nanoTime(), why);
    failAfterHead(Outcome.ENGINE_FAILURE, 502, why);
  }

  private void failAfterHead(Outcome outcome, int code, String why) {
    server.router().feedback(decision, outcome, -1, -1, System.nanoTime() - sentNanos);
    if (!headSent) {
      releaseBuffered();
      finish(false);
      respondErrorNow(code, why);
    } else if (sse != null) {
      finish(false);
      ByteBuf tail = ErrorEnvelope.streamError(client.alloc(), code, why);
      client.write(new DefaultHttpContent(tail));
      writeLast(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      // a non-streaming body was cut off: closing is the only honest signal left
      finish(false);
      client.close();
    }
  }

  private void complete(Outcome outcome, long usage, Object last) {
    long latency = System.nanoTime() - sentNanos;
    server.metrics().latency[pool.index].recordNanos(latency);
    if (outcome == Outcome.OK) {
      pool.health[endpoint].success();
      server.router().feedback(decision, Outcome.OK, ResponseJson.promptTokens(usage),
          ResponseJson.completionTokens(usage), latency);
    } else {
      server.metrics().failure(Failure.STREAM_ERROR);
      pool.health[endpoint].failure(System.nanoTime(), "error event in stream");
      server.router().feedback(decision, outcome, -1, -1, latency);
    }
    finish(upstreamKeepAlive);
    writeLast(last);
  }

  // ---- timers and cancellation ------------------------------------------------------------

  private void armTimer(long nanos) {
    if (timer != null) {
      timer.cancel(false);
    }
    if (nanos > 0) {
      timer = client.channel().eventLoop().schedule(this::onTimer, nanos, TimeUnit.NANOSECONDS);
    }
  }

  private void onTimer() {
    timer = null;
    if (finished || upstream == null) {
      return;
    }
    long limit = headReceived ? server.settings().idleTimeoutNanos()
        : server.settings().firstByteTimeoutNanos();
    long left = lastReadNanos + limit - System.nanoTime();
    if (left > 0) {
      timer = client.channel().eventLoop().schedule(this::onTimer, left, TimeUnit.NANOSECONDS);
      return;
    }
    server.metrics().failure(headReceived ? Failure.IDLE_TIMEOUT : Failure.FIRST_BYTE_TIMEOUT);
    if (!headReceived && canRetry()) {
      // closing the connection aborts the engine's request; the retry goes elsewhere
      releaseUpstream(false);
      releaseEndpoint();
      retry(ProxyMetrics.Retry.FIRST_BYTE_TIMEOUT);
      return;
    }
    server.metrics().reject(ProxyMetrics.Rejection.TIMEOUT);
    failAfterHead(Outcome.TIMEOUT, 504, headReceived
        ? "upstream " + pool.authorities[endpoint] + " sent nothing for "
            + limit / 1_000_000 + " ms"
        : "upstream " + pool.authorities[endpoint] + " did not answer within "
            + limit / 1_000_000 + " ms");
  }

  /** The client went away: abandon the upstream request (closing its connection aborts it). */
  void cancel() {
    if (finished) {
      return;
    }
    server.metrics().failure(Failure.CLIENT_GONE);
    if (pool != null && endpoint >= 0) {
      server.router().feedback(decision, Outcome.TIMEOUT, -1, -1, -1);
    }
    releaseBuffered();
    finish(false);
  }

  // ---- completion -------------------------------------------------------------------------

  /** Releases everything upstream-side once; {@code reuse} returns the connection to the pool. */
  private void finish(boolean reuse) {
    if (finished) {
      return;
    }
    finished = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    releaseUpstream(reuse);
    releaseEndpoint();
    if (sse != null) {
      sse.release();
    }
    if (usageCopy != null) {
      usageCopy.release();
      usageCopy = null;
    }
    body.release();
  }

  private void releaseUpstream(boolean reuse) {
    Channel ch = upstream;
    if (ch == null) {
      return;
    }
    upstream = null;
    ch.attr(UpstreamHandler.EXCHANGE).set(null);
    ch.config().setAutoRead(true);
    if (!reuse || !ch.isActive()) {
      ch.close();
    }
    channelPool.release(ch);
  }

  private void releaseEndpoint() {
    if (held) {
      held = false;
      pool.endpoints.release(endpoint, tokens);
      server.load().finished(pool.index);
    }
  }

  private void releaseBuffered() {
    if (buffered != null) {
      buffered.release();
      buffered = null;
    }
  }

  /** Writes the response's last part, then closes or resumes reading the client. */
  private void writeLast(Object last) {
    server.exchangeDone(client, client.writeAndFlush(last), clientKeepAlive);
  }

  private void respondError(int code, String message) {
    finish(false);
    respondErrorNow(code, message);
  }

  private void respondErrorNow(int code, String message) {
    var r = ErrorEnvelope.response(client.alloc(), code, message);
    if (pool != null) {
      addRouterHeaders(r.headers());
    }
    headSent = true;
    writeLast(r);
  }

  // ---- headers ----------------------------------------------------------------------------

  private void copyResponseHeaders(HttpHeaders from, HttpHeaders to) {
    for (Map.Entry<String, String> h : from) {
      if (!hopByHop(h.getKey())) {
        to.add(h.getKey(), h.getValue());
      }
    }
    addRouterHeaders(to);
  }

  private void addRouterHeaders(HttpHeaders h) {
    h.set(ProxyServer.POOL_HEADER, pool.name());
    if (server.settings().endpointHeader() && endpoint >= 0) {
      h.set(ProxyServer.ENDPOINT_HEADER, pool.authorities[endpoint]);
    }
    if (!clientKeepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  static boolean hopByHop(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "connection", "keep-alive", "proxy-connection", "proxy-authenticate",
          "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
          "content-length", "expect" -> true;
      default -> false;
    };
  }
}
