package io.poolbench.router.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Errors the router itself answers, in vLLM's nested OpenAI-style envelope
 * ({@code {"error":{"message":…,"type":…,"param":null,"code":N}}}), as a full response or as the
 * SSE error event vLLM sends inside a stream that already started.
 */
public final class ErrorEnvelope {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private ErrorEnvelope() {}

  /** The envelope's JSON text for {@code status} with vLLM's type name for it. */
  public static String json(int status, String message) {
    StringBuilder sb = new StringBuilder(message.length() + 96);
    sb.append("{\"error\":{\"message\":");
    quote(sb, message);
    sb.append(",\"type\":\"").append(type(status)).append("\",\"param\":null,\"code\":")
        .append(status).append("}}");
    return sb.toString();
  }

  /** A complete JSON error response. */
  public static FullHttpResponse response(ByteBufAllocator alloc, int status, String message) {
    byte[] body = json(status, message).getBytes(StandardCharsets.UTF_8);
    ByteBuf buf = alloc.buffer(body.length).writeBytes(body);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), buf);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }

  /** An SSE error event followed by {@code data: [DONE]}, as vLLM ends a failed stream. */
  public static ByteBuf streamError(ByteBufAllocator alloc, int status, String message) {
    byte[] event = ("data: " + json(status, message) + "\n\n").getBytes(StandardCharsets.UTF_8);
    return alloc.buffer(event.length + DONE.length).writeBytes(event).writeBytes(DONE);
  }

  static String type(int status) {
    return switch (status) {
      case 400 -> "BadRequestError";
      case 401 -> "Unauthorized";
      case 404 -> "NotFoundError";
      case 405 -> "MethodNotAllowed";
      case 413 -> "RequestEntityTooLarge";
      case 429 -> "TooManyRequests";
      case 502 -> "BadGateway";
      case 503 -> "ServiceUnavailable";
      case 504 -> "GatewayTimeout";
      default -> status >= 500 ? "InternalServerError" : "BadRequestError";
    };
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.US, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
