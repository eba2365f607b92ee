package io.poolbench.router.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Reads each request body once into memory, up to the configured limit; a larger body gets 413 in
 * vLLM's error envelope; on a keep-alive connection the rest of the body is read and dropped
 * (closing at once would reset a client still sending it), otherwise the connection closes.
 */
final class BoundedAggregator extends HttpObjectAggregator {

  private final ProxyMetrics metrics;
  private final int maxBytes;

  BoundedAggregator(int maxBytes, ProxyMetrics metrics) {
    super(maxBytes);
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    metrics.reject(ProxyMetrics.Rejection.TOO_LARGE);
    FullHttpResponse r = ErrorEnvelope.response(ctx.alloc(), 413,
        "request body exceeds the router's limit of " + maxBytes + " bytes");
    if (oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(oversized)) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    } else {
      // keep the connection: the aggregator reads and drops the rest of the body, so a client
      // still sending it gets the 413 instead of a reset
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }
}
