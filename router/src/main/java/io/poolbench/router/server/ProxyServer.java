package io.poolbench.router.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.FastThreadLocal;
import io.poolbench.router.PoolLoad;
import io.poolbench.router.PoolRouter;
import io.poolbench.router.inspect.Categorizer;
import io.poolbench.router.pick.PickerKind;
import io.poolbench.router.pick.PickerSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The router service: listens for OpenAI-compatible requests, routes completions through a
 * {@link PoolRouter} to pooled keep-alive upstream connections (per event loop and endpoint),
 * probes endpoint health, and serves {@code /v1/models}, {@code /health}, {@code /metrics} and
 * {@code /router/state}. Start with {@link #start(ProxySettings)}; {@link #close()} stops it.
 */
public final class ProxyServer implements AutoCloseable {

  /** Response header naming the pool that served a request. */
  public static final String POOL_HEADER = "x-poolbench-pool";
  /** Response header naming the endpoint that served a request (configurable). */
  public static final String ENDPOINT_HEADER = "x-poolbench-endpoint";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProxySettings settings;
  private final PoolRouter router;
  private final PoolLoad load;
  private final UpstreamPool[] pools;
  private final ProxyMetrics metrics;
  private final Categorizer categorizer;
  private final EventLoopGroup group;
  private final NettyTransport transport = NettyTransport.chosen();
  private final ScheduledExecutorService prober;
  private final HttpClient http;
  private final ConcurrentLinkedQueue<SimpleChannelPool> allChannelPools =
      new ConcurrentLinkedQueue<>();
  private final FastThreadLocal<SimpleChannelPool[][]> channelPools;
  private final InetSocketAddress[][] addresses;
  private final UpstreamTls tls;
  private final LoadScraper scraper;
  private Channel serverChannel;
  private final boolean prefixAffinity;

  private ProxyServer(ProxySettings settings) {
    this.settings = settings;
    this.prefixAffinity = PickerKind.named(settings.picker()) == PickerKind.PREFIX_AFFINITY;
    this.router = PoolRouter.create(settings.router());
    this.load = new PoolLoad(router);
    int n = router.pools().size();
    this.tls = settings.endpoints().stream().flatMap(List::stream).anyMatch(UpstreamPool::secure)
        ? UpstreamTls.create(settings.tls(), settings.connectTimeoutMillis()) : null;
    LoadSignalSettings signals = settings.loadSignals();
    PickerSettings pickerSettings = settings.pickerSettings().withUseSignals(signals.enabled())
        .withMaxSignalAgeNanos(signals.maxAgeNanos());
    this.pools = new UpstreamPool[n];
    this.addresses = new InetSocketAddress[n][];
    for (int i = 0; i < n; i++) {
      List<URI> urls = settings.endpoints().get(i);
      pools[i] = new UpstreamPool(i, router.pools().get(i), urls,
          PickerKind.named(settings.picker()).create(pickerSettings), settings);
      addresses[i] = urls.stream()
          .map(u -> new InetSocketAddress(u.getHost(), UpstreamPool.port(u)))
          .toArray(InetSocketAddress[]::new);
    }
    this.metrics = new ProxyMetrics(n);
    this.categorizer = new Categorizer(settings.categorizer(), settings.categoryHeader());
    int threads = settings.ioThreads() > 0 ? settings.ioThreads()
        : Runtime.getRuntime().availableProcessors();
    this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
    this.channelPools = new FastThreadLocal<>() {
      @Override
      protected SimpleChannelPool[][] initialValue() {
        SimpleChannelPool[][] m = new SimpleChannelPool[pools.length][];
        for (int i = 0; i < pools.length; i++) {
          m[i] = new SimpleChannelPool[pools[i].urls.size()];
        }
        return m;
      }
    };
    HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(settings.connectTimeoutMillis()));
    if (tls != null) {
      hb.sslContext(tls.context());
    }
    this.http = hb.build();
    this.scraper = signals.enabled() ? new LoadScraper(signals, pools, load, group,
        transport.socketChannel(), tls, settings.connectTimeoutMillis()) : null;
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "router-health-probe");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the service; it listens before this returns. */
  public static ProxyServer start(ProxySettings settings) {
    ProxyServer s = new ProxyServer(settings);
    try {
      s.bind();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void bind() {
    ServerBootstrap b = new ServerBootstrap().group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(8192, 65536, 65536),
                new BoundedAggregator(settings.maxBodyBytes(), metrics),
                new ProxyHandler(ProxyServer.this));
          }
        });
    ChannelFuture f = b.bind(settings.host(), settings.port()).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IllegalStateException("could not listen on " + settings.host() + ":"
          + settings.port() + ": " + f.cause().getMessage(), f.cause());
    }
    serverChannel = f.channel();
    long every = settings.probeIntervalNanos();
    if (every > 0) {
      prober.scheduleWithFixedDelay(this::probeAll, every, every, TimeUnit.NANOSECONDS);
    }
    if (scraper != null) {
      scraper.start();
    }
  }

  /** The port the service listens on. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** {@code http://host:port} of the service. */
  public String url() {
    return "http://" + settings.host() + ":" + port();
  }

  public ProxySettings settings() {
    return settings;
  }

  /** True when the pools pick endpoints by prefix affinity (the handler then hashes prompts). */
  boolean prefixAffinity() {
    return prefixAffinity;
  }

  public PoolRouter router() {
    return router;
  }

  /** The Netty transport the service runs on. */
  public NettyTransport transport() {
    return transport;
  }

  public PoolLoad load() {
    return load;
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  Categorizer categorizer() {
    return categorizer;
  }

  UpstreamPool[] pools() {
    return pools;
  }

  /** Pool {@code index} at run time (endpoints, load, health). */
  public UpstreamPool pool(int index) {
    return pools[index];
  }

  /** The keep-alive connection pool of {@code loop} for one endpoint (created on first use). */
  SimpleChannelPool channelPool(EventLoop loop, int pool, int endpoint) {
    SimpleChannelPool[][] m = channelPools.get();
    SimpleChannelPool p = m[pool][endpoint];
    if (p == null) {
      Bootstrap b = new Bootstrap().group(loop).channel(transport.socketChannel())
          .remoteAddress(addresses[pool][endpoint])
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true);
      p = new SimpleChannelPool(b, new AbstractChannelPoolHandler() {
        @Override
        public void channelCreated(Channel ch) {
          if (tls != null && pools[pool].secure(endpoint)) {
            URI u = pools[pool].urls.get(endpoint);
            ch.pipeline().addLast(tls.newHandler(ch.alloc(), u.getHost(), UpstreamPool.port(u)));
          }
          ch.pipeline().addLast(new HttpClientCodec(8192, 65536, 65536),
              new IdleStateHandler(false, 0, 0, UpstreamHandler.POOLED_IDLE_NANOS,
                  TimeUnit.NANOSECONDS),
              UpstreamHandler.INSTANCE);
        }
      }, ChannelHealthChecker.ACTIVE, true, true);
      m[pool][endpoint] = p;
      allChannelPools.add(p);
    }
    return p;
  }

  void exchangeDone(ChannelHandlerContext client, ChannelFuture last, boolean keepAlive) {
    ProxyHandler h = client.pipeline().get(ProxyHandler.class);
    if (h != null) {
      h.exchangeDone(client, last, keepAlive);
    }
  }

  // ---- health ---------------------------------------------------------------------------

  private void probeAll() {
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.urls.size(); e++) {
        EndpointHealth h = p.health[e];
        HttpRequest req = HttpRequest.newBuilder(p.urls.get(e).resolve("/health"))
            .timeout(Duration.ofMillis(Math.max(200, settings.connectTimeoutMillis()))).GET()
            .build();
        String name = p.authorities[e];
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
          long now = System.nanoTime();
          if (err == null && r.statusCode() == 200) {
            h.probeOk(now);
          } else if (err != null) {
            h.failure(now, "probe of " + name + ": " + err.getClass().getSimpleName());
          } else {
            h.failure(now, "probe of " + name + ": HTTP " + r.statusCode());
          }
        });
      }
    }
  }

  FullHttpResponse health(ByteBufAllocator alloc) {
    long now = System.nanoTime();
    boolean any = false;
    for (UpstreamPool p : pools) {
      any |= p.anyAvailable(now);
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        any ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        Unpooled.EMPTY_BUFFER);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return r;
  }

  // ---- info endpoints -------------------------------------------------------------------

  FullHttpResponse metricsResponse(ByteBufAllocator alloc) {
    byte[] text = PrometheusText.render(this).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        alloc.buffer(text.length).writeBytes(text));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
    return r;
  }

  FullHttpResponse stateResponse(ByteBufAllocator alloc) {
    byte[] json = StateJson.render(this);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        alloc.buffer(json.length).writeBytes(json));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
    return r;
  }

  /** Answers {@code GET /v1/models} with the union of the available endpoints' model cards. */
  void models(ChannelHandlerContext ctx, boolean keepAlive) {
    long now = System.nanoTime();
    Set<URI> urls = new LinkedHashSet<>();
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.urls.size(); e++) {
        if (p.health[e].available(now)) {
          urls.add(p.urls.get(e));
        }
      }
    }
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (URI u : urls) {
      HttpRequest req = HttpRequest.newBuilder(u.resolve("/v1/models"))
          .timeout(Duration.ofSeconds(5)).GET().build();
      calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> r.statusCode() == 200 ? r.body() : null)
          .exceptionally(t -> null));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
      Map<String, JsonNode> cards = new LinkedHashMap<>();
      for (CompletableFuture<String> c : calls) {
        String body = c.getNow(null);
        if (body == null) {
          continue;
        }
        try {
          for (JsonNode card : JSON.readTree(body).path("data")) {
            // one card per model id: the largest max_model_len the router can reach
            cards.merge(card.path("id").asText(), card, (a, b) ->
                b.path("max_model_len").asLong() > a.path("max_model_len").asLong() ? b : a);
          }
        } catch (Exception e) {
          // an endpoint answering garbage contributes nothing
        }
      }
      ObjectNode out = JSON.createObjectNode().put("object", "list");
      ArrayNode data = out.putArray("data");
      cards.values().forEach(data::add);
      byte[] json;
      try {
        json = JSON.writeValueAsBytes(out);
      } catch (Exception e) {
        json = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
      }
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, Unpooled.wrappedBuffer(json));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
      ProxyHandler.respondLater(ctx, r, keepAlive);
    });
  }

  /** Stops listening, closes upstream connections, the probes and the event loops. */
  @Override
  public void close() {
    prober.shutdownNow();
    if (scraper != null) {
      scraper.close();
    }
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    for (SimpleChannelPool p : allChannelPools) {
      p.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    http.close();
  }
}
