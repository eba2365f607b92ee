package io.poolbench.router.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.poolbench.router.Api;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.router.inspect.PrefixHasher;
import io.poolbench.router.inspect.RequestBodyInspector;
import io.poolbench.router.inspect.TextSample;
import io.poolbench.router.server.ProxyMetrics.Rejection;
import io.poolbench.traces.BadInputException;
import java.util.Arrays;

/**
 * The per-connection server handler: dispatches each aggregated request to the proxy path
 * ({@code POST /v1/completions}, {@code POST /v1/chat/completions}) or to the router's own
 * endpoints, one request at a time (reads pause while an exchange is in flight), and answers
 * malformed bodies with vLLM's 400 envelope.
 */
final class ProxyHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  /** What each event loop reuses to read request bodies. */
  private static final class Inspection {
    final RequestBodyInspector inspector = new RequestBodyInspector();
    final RequestView view = new RequestView();
    final TextSample sample = new TextSample();
    final PrefixHasher prefix = new PrefixHasher();
  }

  private static final FastThreadLocal<Inspection> INSPECTION = new FastThreadLocal<>() {
    @Override
    protected Inspection initialValue() {
      return new Inspection();
    }
  };

  private final ProxyServer server;
  private Exchange current;

  ProxyHandler(ProxyServer server) {
    this.server = server;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (req.decoderResult().isFailure()) {
      server.metrics().reject(Rejection.BAD_REQUEST);
      respond(ctx, ErrorEnvelope.response(ctx.alloc(), 400, "malformed HTTP request: "
          + req.decoderResult().cause().getMessage()), false);
      return;
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    HttpMethod method = req.method();
    switch (path) {
      case "/v1/completions", "/v1/chat/completions" -> {
        if (method.equals(HttpMethod.POST)) {
          proxy(ctx, req, path.equals("/v1/chat/completions"), keepAlive);
        } else {
          respond(ctx, ErrorEnvelope.response(ctx.alloc(), 405, "use POST on " + path),
              keepAlive);
        }
      }
      case "/v1/models" -> server.models(ctx, keepAlive);
      case "/health" -> respond(ctx, server.health(ctx.alloc()), keepAlive);
      case "/metrics" -> respond(ctx, server.metricsResponse(ctx.alloc()), keepAlive);
      case "/router/state" -> {
        String key = server.settings().stateKey();
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (key != null && !("Bearer " + key).equals(auth)) {
          server.metrics().reject(Rejection.UNAUTHORIZED);
          respond(ctx, ErrorEnvelope.response(ctx.alloc(), 401,
              "/router/state needs 'Authorization: Bearer <state-key>'"), keepAlive);
        } else {
          respond(ctx, server.stateResponse(ctx.alloc()), keepAlive);
        }
      }
      default -> {
        server.metrics().reject(Rejection.NOT_FOUND);
        respond(ctx, ErrorEnvelope.response(ctx.alloc(), 404, "no route for " + method + " "
            + path), keepAlive);
      }
    }
  }

  private void proxy(ChannelHandlerContext ctx, FullHttpRequest req, boolean chat,
      boolean keepAlive) {
    byte[] body = ByteBufUtil.getBytes(req.content());
    int bad = RequestBodies.invalidUtf8At(body);
    if (bad >= 0) {
      badRequest(ctx, "request body is not valid UTF-8 (invalid byte at offset " + bad + ")",
          keepAlive);
      return;
    }
    Inspection in = INSPECTION.get();
    // preset the opposite API: the inspector switches it only when the right field is present
    RequestView view = in.view.clear().api(chat ? Api.COMPLETIONS : Api.CHAT);
    TextSample sample = server.categorizer().needsSample() ? in.sample.clear() : null;
    try {
      in.inspector.inspect(body, 0, body.length, view, sample,
          server.prefixAffinity() ? in.prefix : null);
    } catch (BadInputException e) {
      badRequest(ctx, e.getMessage(), keepAlive);
      return;
    }
    if (chat && view.api() != Api.CHAT) {
      badRequest(ctx, "a chat completion request needs 'messages'", keepAlive);
      return;
    }
    if (!chat && view.api() != Api.COMPLETIONS) {
      badRequest(ctx, "a completion request needs 'prompt'", keepAlive);
      return;
    }
    String header = req.headers().get(server.categorizer().headerName());
    view.category(server.categorizer().categorize(header, sample));
    RouteDecision decision = new RouteDecision();
    long t0 = System.nanoTime();
    server.router().decide(view, server.load(), decision);
    server.metrics().decision.recordNanos(System.nanoTime() - t0);
    boolean stream = view.stream();
    boolean strip = false;
    if (stream && !RequestBodies.hasStreamOptions(body)) {
      byte[] rewritten = RequestBodies.withIncludeUsage(body);
      if (rewritten != null) {
        body = rewritten;
        strip = true;
      }
    }
    ctx.channel().config().setAutoRead(false);
    long[] prefix = server.prefixAffinity() && in.prefix.count() > 0
        ? Arrays.copyOf(in.prefix.blocks(), in.prefix.count()) : null;
    current = new Exchange(server, ctx, req, body, stream, strip, decision, prefix);
    current.start();
  }

  private void badRequest(ChannelHandlerContext ctx, String message, boolean keepAlive) {
    server.metrics().reject(Rejection.BAD_REQUEST);
    respond(ctx, ErrorEnvelope.response(ctx.alloc(), 400, message), keepAlive);
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ChannelFuture f = ctx.writeAndFlush(r);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Writes a response built off the event loop (the models union). */
  static void respondLater(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
    ctx.executor().execute(() -> respond(ctx, r, keepAlive));
  }

  /** The exchange wrote its last part ({@code last}); close or read the next request. */
  void exchangeDone(ChannelHandlerContext ctx, ChannelFuture last, boolean keepAlive) {
    current = null;
    if (keepAlive) {
      ctx.channel().config().setAutoRead(true);
    } else {
      last.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (current != null && ctx.channel().isWritable()) {
      current.onClientWritable();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (current != null) {
      Exchange x = current;
      current = null;
      x.cancel();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
