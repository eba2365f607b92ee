package io.poolbench.harness.mock;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Reads each request body into memory up to {@link #MAX_BODY_BYTES}; a larger one gets HTTP 413
 * in vLLM's error envelope (the style the mock is set to), as a vLLM behind a proxy with a body
 * limit answers. The limit stays below the JSON parser's 20,000,000-character cap on one string,
 * so no accepted body can fail on the parser's own limits with a message that names its
 * internals. On a keep-alive connection the rest of the body is read and dropped, so a client
 * still sending gets the 413 instead of a reset; otherwise the connection closes.
 */
final class BodyLimit extends HttpObjectAggregator {
  /** The largest request body accepted: 16 MiB (a 1M-token prompt as token ids is ~7 MB). */
  static final int MAX_BODY_BYTES = 16 << 20;

  private final ErrorStyle style;

  BodyLimit(ErrorStyle style) {
    super(MAX_BODY_BYTES);
    this.style = style;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    long declared = HttpUtil.getContentLength(oversized, -1L);
    String json = error(declared).json(style);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ByteBufUtil.writeUtf8(ctx.alloc(), json));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    if (oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(oversized)) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  /** The 413 error for a body of {@code declared} bytes (-1: not declared, chunked). */
  static ApiError error(long declared) {
    return new ApiError(413, "RequestEntityTooLarge", "Request body "
        + (declared >= 0 ? "of " + declared + " bytes " : "") + "exceeds the limit of "
        + MAX_BODY_BYTES + " bytes", null);
  }
}
