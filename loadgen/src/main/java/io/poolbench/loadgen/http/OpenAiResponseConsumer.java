package io.poolbench.loadgen.http;

import io.poolbench.loadgen.sse.StreamTracker;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Consumes one response as its bytes arrive, on the I/O thread, without blocking: an event stream
 * goes through a {@link StreamTracker} (each chunk timestamped on arrival); any other body is kept
 * up to a bound and parsed once complete.
 */
final class OpenAiResponseConsumer extends AbstractBinResponseConsumer<ExchangeResult> {

  /** Non-streamed bodies larger than this are truncated before parsing (errors are small). */
  static final int MAX_BODY_BYTES = 1 << 20;

  private final long sentNanos;
  private final LongConsumer interChunkGapNanos;
  private final StringBuilder text;
  private int status;
  private String pool;
  private String endpoint;
  private long headersNanos;
  private StreamTracker tracker;
  private byte[] body = new byte[0];
  private int bodyLength;

  /** @param text receives the answer's text, or null to keep none */
  OpenAiResponseConsumer(long sentNanos, LongConsumer interChunkGapNanos, StringBuilder text) {
    this.sentNanos = sentNanos;
    this.interChunkGapNanos = interChunkGapNanos;
    this.text = text;
  }

  @Override
  protected void start(HttpResponse response, ContentType contentType) {
    headersNanos = System.nanoTime();
    status = response.getCode();
    pool = header(response, "x-poolbench-pool");
    endpoint = header(response, "x-poolbench-endpoint");
    if (contentType != null && "text/event-stream".equalsIgnoreCase(contentType.getMimeType())) {
      tracker = new StreamTracker(interChunkGapNanos);
      if (text != null) {
        tracker.captureText(text);
      }
    }
  }

  private static String header(HttpResponse response, String name) {
    Header h = response.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  @Override
  protected int capacityIncrement() {
    return 64 * 1024;
  }

  @Override
  protected void data(ByteBuffer src, boolean endOfStream) {
    if (tracker != null) {
      tracker.onBytes(System.nanoTime(), src);
      return;
    }
    int n = Math.min(src.remaining(), MAX_BODY_BYTES - bodyLength);
    if (n > 0) {
      if (bodyLength + n > body.length) {
        body = Arrays.copyOf(body, Math.max(bodyLength + n, Math.min(MAX_BODY_BYTES, body.length * 2 + 1024)));
      }
      src.get(body, bodyLength, n);
      bodyLength += n;
    }
    src.position(src.limit());
  }

  @Override
  protected ExchangeResult buildResult() {
    long end = System.nanoTime();
    if (tracker != null) {
      return new ExchangeResult(status, pool, endpoint, sentNanos, headersNanos, end,
          tracker.result(), null, null, false);
    }
    return new ExchangeResult(status, pool, endpoint, sentNanos, headersNanos, end, null,
        BodyResult.parse(body, bodyLength, text), null, false);
  }

  /** What was seen before a failure (a reset mid-stream keeps its chunks and timestamps). */
  ExchangeResult partial(Exception failure, boolean timedOut) {
    String error = failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    return new ExchangeResult(status, pool, endpoint, sentNanos, headersNanos, System.nanoTime(),
        tracker == null ? null : tracker.result(), null, error, timedOut);
  }

  @Override
  public void releaseResources() {
    // nothing pooled: the body buffer is dropped with the consumer
  }
}
