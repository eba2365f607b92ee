package io.poolbench.harness.mock.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal Netty SSE client for load measurements: one connection per stream, counts events
 * ({@code \n\n}-terminated) as they arrive, and which streams are open, started and done.
 */
final class SseLoadClient {
  final LongAdder events = new LongAdder();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger done = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  private final Bootstrap bootstrap;

  SseLoadClient(EventLoopGroup group) {
    bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new StreamHandler());
          }
        });
  }

  /** Opens one connection and posts {@code json} to {@code path} on it. */
  void start(String host, int port, String path, String json) {
    bootstrap.connect(host, port).addListener(f -> {
      if (!f.isSuccess()) {
        failed.incrementAndGet();
        return;
      }
      Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
      open.incrementAndGet();
      ByteBuf body = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
      FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
          path, body);
      req.headers().set(HttpHeaderNames.HOST, host + ":" + port)
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      ch.writeAndFlush(req);
    });
  }

  private final class StreamHandler extends SimpleChannelInboundHandler<HttpObject> {
    private boolean sawNewline;
    private boolean first = true;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse res && res.status().code() != 200) {
        failed.incrementAndGet();
      }
      if (msg instanceof HttpContent content) {
        ByteBuf b = content.content();
        int n = 0;
        for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
          boolean nl = b.getByte(i) == '\n';
          if (nl && sawNewline) {
            n++;
            sawNewline = false;
          } else {
            sawNewline = nl;
          }
        }
        if (n > 0) {
          events.add(n);
          if (first) {
            first = false;
            started.incrementAndGet();
          }
        }
        if (msg instanceof LastHttpContent) {
          done.incrementAndGet();
          ctx.close();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.decrementAndGet();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failed.incrementAndGet();
      ctx.close();
    }
  }
}
