package io.poolbench.router.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The last handler of every pooled upstream connection: hands response parts to the {@link
 * Exchange} the connection currently serves (an attribute set on acquire, cleared on release),
 * and drops anything that arrives while it serves none.
 */
@ChannelHandler.Sharable
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

  static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("poolbench.exchange");
  static final UpstreamHandler INSTANCE = new UpstreamHandler();

  /**
   * A pooled keep-alive connection with no traffic for this long is closed. Without it the pool
   * keeps every connection a burst opened for as long as the engine keeps it (the mock: forever;
   * a reliability soak saw 2,600 idle upstream sockets after the load stopped). vLLM's server,
   * uvicorn, closes keep-alive connections idle for 5 s ({@code --timeout-keep-alive}); closing at
   * 4 s first means a request is not sent on a connection uvicorn is closing.
   */
  static final long POOLED_IDLE_NANOS = 4_000_000_000L;

  private UpstreamHandler() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange x = ctx.channel().attr(EXCHANGE).get();
    if (x == null) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      x.onUpstreamFailure("bad HTTP from upstream: " + o.decoderResult().cause());
      return;
    }
    if (msg instanceof HttpResponse head) {
      x.onHead(head);
    }
    if (msg instanceof HttpContent content) {
      x.onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Exchange x = ctx.channel().attr(EXCHANGE).get();
    if (x != null) {
      x.flushClient();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      // idle for POOLED_IDLE_NANOS: close it if it waits in the pool; a connection that serves an
      // exchange keeps the exchange's own first-byte and idle timeouts
      if (ctx.channel().attr(EXCHANGE).get() == null) {
        ctx.close();
      }
      return;
    }
    if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
      Exchange x = ctx.channel().attr(EXCHANGE).get();
      ctx.close();
      if (x != null) {
        String peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a
            ? a.getHostString() + ":" + a.getPort() : "upstream";
        x.onUpstreamFailure("TLS handshake with " + peer + " failed: " + e.cause().getMessage());
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange x = ctx.channel().attr(EXCHANGE).get();
    if (x != null) {
      x.onUpstreamFailure("upstream closed the connection");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange x = ctx.channel().attr(EXCHANGE).get();
    ctx.close();
    if (x != null) {
      x.onUpstreamFailure("upstream connection failed: " + cause.getMessage());
    }
  }
}
