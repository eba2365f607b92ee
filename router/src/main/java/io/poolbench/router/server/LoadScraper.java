package io.poolbench.router.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.poolbench.router.PoolLoad;
import io.poolbench.router.pick.LoadSignal;
import io.poolbench.router.server.signal.EngineLoadReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes every endpoint's {@code /metrics} at a fixed interval and stores what {@link
 * EngineLoadReader} reads as the endpoint's {@link LoadSignal} (which the pickers use while it is
 * fresh), and sums each pool's fresh {@code num_requests_waiting} into {@link
 * PoolLoad#engineWaiting(int, long)} for the spillover pressure.
 *
 * <p>Threads: the HTTP exchange of each endpoint runs on one of the proxy's event loops over a
 * keep-alive Netty connection (TLS for {@code https://}), so no event loop ever blocks; a timer
 * thread ({@code router-load-signals}) starts the rounds and parses the pages, keeping that CPU
 * work off the event loops. At most one scrape per endpoint is in flight; a failure (connect,
 * timeout, status, a page that is not vLLM's) is counted in {@link ScrapeStats} and never
 * ejects the endpoint: passive health and probes decide that.
 */
final class LoadScraper implements AutoCloseable {

  private static final int MAX_PAGE_BYTES = 16 << 20;
  private static final System.Logger LOG = System.getLogger(LoadScraper.class.getName());

  private final LoadSignalSettings settings;
  private final UpstreamPool[] pools;
  private final PoolLoad load;
  private final List<Target> targets = new ArrayList<>();
  private final ScheduledExecutorService worker;
  private volatile boolean closed;

  LoadScraper(LoadSignalSettings settings, UpstreamPool[] pools, PoolLoad load,
      EventLoopGroup group, Class<? extends SocketChannel> channelType, UpstreamTls tls,
      int connectTimeoutMillis) {
    this.settings = settings;
    this.pools = pools;
    this.load = load;
    int connectMillis = (int) Math.max(1, Math.min(connectTimeoutMillis,
        settings.timeoutNanos() / 1_000_000));
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.urls.size(); e++) {
        targets.add(new Target(p, e, group.next(), channelType, tls, connectMillis));
      }
    }
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "router-load-signals");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    worker.scheduleAtFixedRate(this::round, 0, settings.intervalNanos(), TimeUnit.NANOSECONDS);
  }

  /** One round: start a scrape of every endpoint, then drop stale signals from the sums. */
  private void round() {
    for (Target t : targets) {
      try {
        t.loop.execute(t::scrape);
      } catch (RejectedExecutionException e) {
        return; // the proxy is shutting down
      }
    }
    try {
      for (UpstreamPool p : pools) {
        refreshWaiting(p);
      }
    } catch (RuntimeException e) {
      // never let one bad round cancel the periodic task
      LOG.log(System.Logger.Level.WARNING, "load-signal round failed", e);
    }
  }

  /** Sums the fresh signals' waiting requests of {@code p} (on the worker thread only). */
  private void refreshWaiting(UpstreamPool p) {
    long now = System.nanoTime();
    long waiting = 0;
    for (int e = 0; e < p.urls.size(); e++) {
      LoadSignal s = p.endpoints.signal(e);
      if (s != null && s.ageNanos(now) <= settings.maxAgeNanos()) {
        waiting += s.waiting();
      }
    }
    load.engineWaiting(p.index, waiting);
  }

  @Override
  public void close() {
    closed = true;
    worker.shutdownNow();
  }

  /** One endpoint; its fields other than the final ones are touched only on {@code loop}. */
  private final class Target {
    final UpstreamPool pool;
    final int endpoint;
    final EventLoop loop;
    final Bootstrap bootstrap;
    Channel channel;
    boolean inFlight;
    int attempt;
    ScheduledFuture<?> deadline;

    Target(UpstreamPool pool, int endpoint, EventLoop loop,
        Class<? extends SocketChannel> channelType, UpstreamTls tls, int connectMillis) {
      this.pool = pool;
      this.endpoint = endpoint;
      this.loop = loop;
      URI url = pool.urls.get(endpoint);
      String host = url.getHost();
      int port = UpstreamPool.port(url);
      boolean secure = pool.secure(endpoint);
      this.bootstrap = new Bootstrap().group(loop).channel(channelType)
          .remoteAddress(new InetSocketAddress(host, port))
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              if (secure) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
              }
              ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_PAGE_BYTES),
                  new PageHandler(Target.this));
            }
          });
    }

    void scrape() {
      if (closed || inFlight) {
        return; // the previous scrape is still running; its deadline ends it
      }
      inFlight = true;
      int my = ++attempt;
      deadline = loop.schedule(() -> fail(my, "no answer within "
          + settings.timeoutNanos() / 1_000_000 + " ms"), settings.timeoutNanos(),
          TimeUnit.NANOSECONDS);
      Channel ch = channel;
      if (ch != null && ch.isActive()) {
        send(ch, my);
        return;
      }
      channel = null;
      bootstrap.connect().addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          fail(my, "connect: " + f.cause().getMessage());
        } else if (my != attempt || !inFlight || closed) {
          f.channel().close();
        } else {
          channel = f.channel();
          send(f.channel(), my);
        }
      });
    }

    private void send(Channel ch, int my) {
      DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
          HttpMethod.GET, "/metrics", Unpooled.EMPTY_BUFFER);
      req.headers().set(HttpHeaderNames.HOST, pool.authorities[endpoint])
          .set(HttpHeaderNames.ACCEPT, "text/plain")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      ch.writeAndFlush(req).addListener((ChannelFuture w) -> {
        if (!w.isSuccess()) {
          fail(my, "send: " + w.cause().getMessage());
        }
      });
    }

    void onPage(Channel ch, FullHttpResponse r) {
      if (!inFlight || ch != channel) {
        return;
      }
      if (r.status().code() != 200) {
        fail(attempt, "HTTP " + r.status().code());
        return;
      }
      long at = System.nanoTime();
      byte[] page = ByteBufUtil.getBytes(r.content());
      inFlight = false;
      deadline.cancel(false);
      if (!HttpUtil.isKeepAlive(r)) {
        channel = null;
        ch.close();
      }
      try {
        worker.execute(() -> read(page, at));
      } catch (RejectedExecutionException e) {
        // shutting down
      }
    }

    void onBroken(Channel ch, String why) {
      if (ch == channel) {
        channel = null;
        if (inFlight) {
          fail(attempt, why);
        }
      }
    }

    private void fail(int my, String why) {
      if (my != attempt || !inFlight) {
        return;
      }
      inFlight = false;
      deadline.cancel(false);
      if (channel != null) {
        channel.close();
        channel = null;
      }
      pool.scrapes[endpoint].failed(why);
    }

    /** On the worker thread. */
    private void read(byte[] page, long scrapedAtNanos) {
      try {
        LoadSignal s = EngineLoadReader.read(new String(page, StandardCharsets.UTF_8),
            scrapedAtNanos);
        pool.endpoints.signal(endpoint, s);
        pool.scrapes[endpoint].ok();
      } catch (IllegalArgumentException e) {
        pool.scrapes[endpoint].failed("bad /metrics page: " + e.getMessage());
      }
      refreshWaiting(pool);
    }
  }

  /** The handler of one scrape connection. */
  private static final class PageHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Target target;

    PageHandler(Target target) {
      this.target = target;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
      target.onPage(ctx.channel(), r);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
        target.onBroken(ctx.channel(), "TLS handshake: " + e.cause().getMessage());
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      target.onBroken(ctx.channel(), "connection closed");
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      target.onBroken(ctx.channel(), String.valueOf(cause.getMessage()));
      ctx.close();
    }
  }
}
