package io.poolbench.harness.mock;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * One mock vLLM instance: a listening port, its engine driver, its state and its injected faults.
 *
 * <p>Lifecycle: SERVING → (engine death: CUDA OOM in the model, an injected kill, or the random
 * fault plan) DEAD, where generation requests get HTTP 500 and {@code /health} 503 → after
 * {@link MockSettings#deadLingerNanos()} DOWN, the port closed and every connection cut
 * (connection refused) → after {@link MockSettings#restartNanos()} from the death, SERVING again
 * on the same port with a fresh engine and fresh metrics (counters restart from 0, as after a
 * vLLM process restart).
 */
public final class MockInstance implements Closeable {
  /** The serving states. */
  public enum State { SERVING, DEAD, DOWN }

  static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("poolbench.exchange");

  private final MockServer server;
  private final InstanceSpec spec;
  private final MockSettings settings;
  final EngineDriver driver;
  final RequestParser parser;
  private final String modelNameJson;
  private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger load = new AtomicInteger();
  private final long seed;
  private final long createdSeconds = System.currentTimeMillis() / 1000;
  private volatile State state = State.SERVING;
  private volatile boolean closed;
  private volatile Channel serverChannel;
  private volatile int port;
  volatile long failUntilWall;
  volatile int failStatus;

  MockInstance(MockServer server, InstanceSpec spec, long seed) {
    this.server = server;
    this.spec = spec;
    this.settings = server.settings();
    this.seed = seed;
    this.port = spec.port();
    this.parser = new RequestParser(server.encoding(), spec.modelName(),
        spec.engine().maxModelLen(),
        spec.engine().enablePrefixCaching() ? spec.engine().blockSize() : 0);
    StringBuilder q = new StringBuilder();
    ApiError.quote(q, spec.modelName());
    this.modelNameJson = q.toString();
    this.driver = new EngineDriver(this, spec, settings, seed);
  }

  void start() {
    bind();
    driver.start();
  }

  private void bind() {
    ServerBootstrap b = new ServerBootstrap()
        .group(server.acceptors(), server.group())
        .channel(server.transport().serverChannel())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(256))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            children.add(ch);
            ch.pipeline().addLast(new HttpServerCodec(), new BodyLimit(settings.errorStyle()),
                new MockHttpHandler(MockInstance.this));
          }
        });
    ChannelFuture bound = b.bind(settings.bindHost(), port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      // syncUninterruptibly() would rethrow Netty's checked bind error undeclared, past every
      // catch (RuntimeException) above; this names the address instead
      throw new IllegalStateException("could not listen on " + hostPort(settings.bindHost(), port)
          + ": " + bindError(bound.cause()), bound.cause());
    }
    Channel ch = bound.channel();
    serverChannel = ch;
    port = ((InetSocketAddress) ch.localAddress()).getPort();
  }

  public InstanceSpec spec() {
    return spec;
  }

  public MockSettings settings() {
    return settings;
  }

  public int port() {
    return port;
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The bind failure in words, without Netty's native-call prefix ("bind(..) failed ..."). */
  private static String bindError(Throwable cause) {
    String m = String.valueOf(cause.getMessage());
    if (m.contains("Address already in use")) {
      return "address already in use (another process listens there)";
    }
    if (m.contains("Cannot assign requested address")) {
      return "no such local address on this machine";
    }
    if (m.contains("Permission denied")) {
      return "permission denied (ports below 1024 need privileges)";
    }
    return m;
  }

  /** {@code http://host:port}. */
  public String url() {
    String host = settings.bindHost().contains(":") ? "[" + settings.bindHost() + "]"
        : settings.bindHost();
    return "http://" + host + ":" + port;
  }

  public State state() {
    return state;
  }

  boolean isServing() {
    return state == State.SERVING;
  }

  /** In-flight generation requests (what {@code /load} reports when tracking is on). */
  public int load() {
    return load.get();
  }

  String modelNameJson() {
    return modelNameJson;
  }

  Vocabulary vocabulary() {
    return server.vocabulary();
  }

  MockServer server() {
    return server;
  }

  long seed() {
    return seed;
  }

  long createdSeconds() {
    return createdSeconds;
  }

  ChannelGroup children() {
    return children;
  }

  /** Client connections open to this instance now. */
  public int openConnections() {
    return children.size();
  }

  // ---- faults ----

  /** Kills the engine now (an injected fault); it restarts after the restart delay. */
  public void kill(String cause) {
    driver.execute(() -> driver.engine.kill(cause));
  }

  /** Multiplies step durations by {@code factor} for {@code forNanos} (0: until changed). */
  public void slowDown(double factor, long forNanos) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("slow-down factor (" + factor + ") must be > 0");
    }
    driver.execute(() -> driver.slowDown(factor, forNanos));
  }

  /** Answers generation requests with {@code status} (500 or 503) for {@code forNanos}. */
  public void failFor(int status, long forNanos) {
    failStatus = status;
    failUntilWall = System.nanoTime() + forNanos;
  }

  /** Cuts every connection with a generation in progress; returns how many. */
  public int dropStreams() {
    int n = 0;
    for (Channel ch : children) {
      Exchange ex = ch.attr(EXCHANGE).get();
      if (ex != null && !ex.isDone()) {
        n++;
        ch.close();
      }
    }
    return n;
  }

  /** The engine's {@code /metrics} text, rendered on the driver thread. */
  public CompletableFuture<String> metricsText() {
    return driver.call(() -> driver.metrics.render(driver.engine));
  }

  /** A copy of the step wake-up lateness histogram (nanoseconds). */
  public CompletableFuture<Histogram> stepTimingErrors() {
    return driver.call(driver::timingErrorsCopy);
  }

  /** Runs {@code check} on the driver thread with the engine (tests inspect KV accounting). */
  public <T> CompletableFuture<T> inspect(java.util.function.Function<
      io.poolbench.harness.engine.VllmEngine, T> check) {
    return driver.call(() -> check.apply(driver.engine));
  }

  /** Called on the driver thread when the engine died. */
  void engineDied(String cause) {
    if (closed) {
      return;
    }
    state = State.DEAD;
    server.log(String.format(Locale.US, "%s: engine died (%s); port closes in %.1f s, restart in "
        + "%.1f s", url(), cause, settings.deadLingerNanos() / 1e9, settings.restartNanos() / 1e9));
    server.lifecycle().schedule(this::closePort, settings.deadLingerNanos(), TimeUnit.NANOSECONDS);
    server.lifecycle().schedule(this::restart, settings.restartNanos(), TimeUnit.NANOSECONDS);
  }

  private void closePort() {
    if (closed || state != State.DEAD) {
      return;
    }
    state = State.DOWN;
    Channel ch = serverChannel;
    if (ch != null) {
      ch.close().syncUninterruptibly();
    }
    children.close();
    server.log(url() + ": port closed");
  }

  private void restart() {
    if (closed) {
      return;
    }
    if (state == State.DEAD) {
      closePort();
    }
    try {
      bind();
    } catch (RuntimeException e) {
      server.log(url() + ": rebind failed (" + e.getMessage() + "); retrying in 1 s");
      server.lifecycle().schedule(this::restart, 1, TimeUnit.SECONDS);
      return;
    }
    driver.execute(() -> {
      driver.restartEngine();
      state = State.SERVING;
      driver.scheduleFault();
      server.log(url() + ": restarted");
    });
  }

  // ---- responses (any thread; Netty hops to the event loop) ----

  ApiError deadError() {
    return ApiError.engineDead();
  }

  void respond(Channel ch, boolean keepAlive, ApiError error) {
    respondJson(ch, keepAlive, error.status(), error.json(settings.errorStyle()));
  }

  /** HTTP 500 for a dead engine: the envelope (nested style) or an empty body (flat, ≤ v0.11). */
  void respondEngineDead(Channel ch, boolean keepAlive) {
    if (settings.errorStyle() == ErrorStyle.NESTED) {
      respond(ch, keepAlive, ApiError.engineDead());
    } else {
      respondBytes(ch, keepAlive, 500, null, Unpooled.EMPTY_BUFFER);
    }
  }

  void respondJson(Channel ch, boolean keepAlive, int status, String json) {
    respondBytes(ch, keepAlive, status, HttpHeaderValues.APPLICATION_JSON.toString(),
        ByteBufUtil.writeUtf8(ch.alloc(), json));
  }

  void respondBytes(Channel ch, boolean keepAlive, int status, String contentType, ByteBuf body) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), body);
    if (contentType != null) {
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    send(ch, keepAlive, res);
  }

  void send(Channel ch, boolean keepAlive, FullHttpResponse res) {
    if (!keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var f = ch.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  // ---- exchanges ----

  void exchangeStarted(Exchange ex) {
    load.incrementAndGet();
    ex.channel.attr(EXCHANGE).set(ex);
  }

  void exchangeEnded(Exchange ex) {
    load.decrementAndGet();
    ex.channel.attr(EXCHANGE).compareAndSet(ex, null);
  }

  void abort(Exchange ex) {
    driver.execute(() -> driver.abort(ex));
  }

  /** Stops the driver and closes the port and every connection. */
  @Override
  public void close() {
    closed = true;
    driver.stop();
    Channel ch = serverChannel;
    if (ch != null) {
      ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    children.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
