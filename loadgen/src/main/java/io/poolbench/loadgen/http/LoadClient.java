package io.poolbench.loadgen.http;

import io.poolbench.loadgen.TuningProperty;
import java.io.Closeable;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * An asynchronous HTTP/1.1 client for OpenAI-compatible endpoints: keep-alive connections in a
 * pool sized for the run, a few I/O threads and no thread per request. Each exchange ends in
 * exactly one call of its callback with an {@link ExchangeResult}, whether it completed, failed or
 * timed out.
 */
public final class LoadClient implements Closeable {

  private final CloseableHttpAsyncClient client;
  private final RequestConfig requestConfig;

  /**
   * @param maxConnections connections per target and in total (the run's concurrency bound)
   * @param ioThreads I/O reactor threads
   * @param connectTimeout time allowed to open a connection
   * @param responseTimeout longest silence allowed while waiting for the head or the next bytes
   */
  public LoadClient(int maxConnections, int ioThreads, Duration connectTimeout, Duration responseTimeout) {
    PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
        // LAX: no global lock and no scan of every pending lease on each release, which
        // collapses under tens of thousands of concurrent open-loop requests
        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
        .setMaxConnTotal(maxConnections)
        .setMaxConnPerRoute(maxConnections)
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofMilliseconds(connectTimeout.toMillis()))
            .setSocketTimeout(Timeout.ofMilliseconds(responseTimeout.toMillis()))
            .build())
        .build();
    this.requestConfig = RequestConfig.custom()
        .setResponseTimeout(Timeout.ofMilliseconds(responseTimeout.toMillis()))
        .setConnectionRequestTimeout(Timeout.ofDays(1))
        .build();
    this.client = HttpAsyncClients.custom()
        .setConnectionManager(connections)
        // HttpCore's default is 32 KiB, and each connection holds three such buffers (in, out
        // and content): 96 KiB of heap per connection, most of a 10,000-stream run's heap
        .setHttp1Config(Http1Config.custom()
            .setBufferSize(ioBufferBytes(System.getProperty(IO_BUFFER_PROPERTY), maxConnections))
            .build())
        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(ioThreads).setTcpNoDelay(true).build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .build();
    client.start();
  }

  /** The system property that sets the I/O buffer size per connection, in bytes. */
  public static final String IO_BUFFER_PROPERTY = "poolbench.loadgen.ioBufferBytes";

  /**
   * The I/O buffer per connection up to {@link #LARGE_POOL} connections: SSE chunks and error
   * bodies are far smaller, and large request bodies bypass it.
   */
  public static final int DEFAULT_IO_BUFFER_BYTES = 4096;

  /** The I/O buffer per connection for pools above {@link #LARGE_POOL} connections. */
  public static final int LARGE_POOL_IO_BUFFER_BYTES = 512;

  /** Pools larger than this get {@link #LARGE_POOL_IO_BUFFER_BYTES} buffers. */
  public static final int LARGE_POOL = 4096;

  /**
   * The property's value (at least 512) when set; otherwise {@value #DEFAULT_IO_BUFFER_BYTES}, or
   * {@value #LARGE_POOL_IO_BUFFER_BYTES} for a pool of more than {@value #LARGE_POOL}
   * connections. Measured at 2,000 req/s the small buffers cost some 10% more CPU per request
   * (more reads per response); with 10,000 streams open they halve the heap per stream (20.2
   * against 9.6 KiB), and only runs that raise {@code --max-connections} hold that many.
   */
  static int ioBufferBytes(String property, int maxConnections) {
    return (int) TuningProperty.wholeNumber(IO_BUFFER_PROPERTY, property, 512, Integer.MAX_VALUE,
        maxConnections > LARGE_POOL ? LARGE_POOL_IO_BUFFER_BYTES : DEFAULT_IO_BUFFER_BYTES, "bytes");
  }


  /**
   * Posts a JSON body; {@code done} receives the result exactly once, on an I/O thread (it must
   * not block).
   *
   * @param interChunkGapNanos receives each inter-chunk gap of a streamed response as it happens
   */
  public void post(URI uri, byte[] json, Map<String, String> headers, LongConsumer interChunkGapNanos,
      Consumer<ExchangeResult> done) {
    exchange("POST", uri, json, headers, interChunkGapNanos, null, done);
  }

  /** Like the other {@code post}, also appending the answer's text to {@code text}. */
  public void post(URI uri, byte[] json, Map<String, String> headers, LongConsumer interChunkGapNanos,
      StringBuilder text, Consumer<ExchangeResult> done) {
    exchange("POST", uri, json, headers, interChunkGapNanos, text, done);
  }

  private void exchange(String method, URI uri, byte[] json, Map<String, String> headers,
      LongConsumer interChunkGapNanos, StringBuilder text, Consumer<ExchangeResult> done) {
    SimpleHttpRequest request = SimpleHttpRequest.create(method, uri);
    request.setConfig(requestConfig);
    headers.forEach(request::setHeader);
    if (json != null) {
      request.setBody(json, ContentType.APPLICATION_JSON);
    }
    long sent = System.nanoTime();
    OpenAiResponseConsumer consumer = new OpenAiResponseConsumer(sent, interChunkGapNanos, text);
    client.execute(SimpleRequestProducer.create(request), consumer, new FutureCallback<>() {
      @Override
      public void completed(ExchangeResult result) {
        done.accept(result);
      }

      @Override
      public void failed(Exception ex) {
        boolean timedOut = ex instanceof SocketTimeoutException || ex instanceof TimeoutException;
        done.accept(consumer.partial(ex, timedOut));
      }

      @Override
      public void cancelled() {
        done.accept(consumer.partial(new java.util.concurrent.CancellationException("cancelled"), false));
      }
    });
  }

  /**
   * What a preflight GET found.
   *
   * @param status the HTTP status, or 0 when no response came
   * @param failure why no response came, in words ({@link ConnectionFailure}), or null
   * @param unreachable true when the endpoint could not be reached at all (refused, unknown host)
   */
  public record Preflight(int status, String failure, boolean unreachable) {}

  /**
   * A plain GET, waited for: used before a run starts to open connections and load the client's
   * code paths, so the first planned rows are not late.
   */
  public Preflight preflight(URI uri, Map<String, String> headers, Duration wait) {
    SimpleHttpRequest request = SimpleHttpRequest.create("GET", uri);
    request.setConfig(requestConfig);
    headers.forEach(request::setHeader);
    try {
      return new Preflight(client.execute(request, null)
          .get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).getCode(), null, false);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Preflight(0, ConnectionFailure.describe(uri, cause),
          ConnectionFailure.isUnreachable(cause));
    } catch (TimeoutException e) {
      return new Preflight(0, ConnectionFailure.describe(uri, e), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Preflight(0, "interrupted while asking " + uri, false);
    }
  }

  /**
   * Opens up to {@code connections} pooled connections to {@code uri}'s host by sending that many
   * GETs at once, and waits for them: the connection set-up code runs (and is compiled) before
   * the first planned row, and the first rows find idle connections. Returns how many answered.
   */
  public int warmConnections(URI uri, Map<String, String> headers, int connections, Duration wait) {
    // through the same request producer and response consumer as the run's requests, so that
    // their classes are loaded too
    java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(connections);
    java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < connections; i++) {
      exchange("GET", uri, null, headers, gap -> { }, null, r -> {
        if (r.status() > 0) {
          ok.incrementAndGet();
        }
        answered.countDown();
      });
    }
    try {
      answered.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ok.get();
  }

  /** Closes at once: exchanges still in flight fail and their callbacks run. */
  public void abort() {
    client.close(CloseMode.IMMEDIATE);
  }

  @Override
  public void close() {
    client.close(CloseMode.GRACEFUL);
  }
}
