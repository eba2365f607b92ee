package io.poolbench.harness.mock;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Routes one connection's requests (vllm-api.md §1): the generation endpoints, the info
 * endpoints and the {@code /admin/*} fault injection. Runs on the connection's event loop and
 * never blocks: bodies are parsed and tokenized on the server's workers and the engine runs on
 * the instance's driver thread.
 */
final class MockHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final String UNAUTHORIZED = "{\"error\":\"Unauthorized\"}";

  private final MockInstance instance;
  private final InfoEndpoints info;
  private Exchange current;

  MockHttpHandler(MockInstance instance) {
    this.instance = instance;
    this.info = new InfoEndpoints(instance);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    Channel ch = ctx.channel();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (req.decoderResult().isFailure()) {
      instance.respond(ch, false, ApiError.badRequest("Invalid HTTP request"));
      return;
    }
    if (current != null && !current.isDone()) {
      // HTTP pipelining behind a response in progress: not supported, like uvicorn's h11.
      ch.close();
      return;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    HttpMethod method = req.method();
    String apiKey = instance.settings().apiKey();
    if (apiKey != null && (path.startsWith("/v1") || path.startsWith("/v2"))
        && !("Bearer " + apiKey).equals(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      instance.respondJson(ch, keepAlive, 401, UNAUTHORIZED);
      return;
    }
    switch (path) {
      case "/v1/completions", "/v1/chat/completions" -> {
        if (method != HttpMethod.POST) {
          notAllowed(ch, keepAlive);
        } else {
          generate(ch, keepAlive, req, path.endsWith("chat/completions"));
        }
      }
      case "/health", "/ping" -> {
        if (method == HttpMethod.GET || path.equals("/ping") && method == HttpMethod.POST) {
          instance.respondBytes(ch, keepAlive,
              instance.state() == MockInstance.State.SERVING ? 200 : 503, null,
              Unpooled.EMPTY_BUFFER);
        } else {
          notAllowed(ch, keepAlive);
        }
      }
      case "/metrics" -> {
        if (method != HttpMethod.GET) {
          notAllowed(ch, keepAlive);
          return;
        }
        instance.metricsText().whenComplete((text, err) -> {
          if (err != null) {
            instance.respondJson(ch, keepAlive, 500, "{\"detail\":\"metrics failed\"}");
          } else {
            instance.respondBytes(ch, keepAlive, 200, "text/plain; version=0.0.4; charset=utf-8",
                ByteBufUtil.writeUtf8(ch.alloc(), text));
          }
        });
      }
      case "/v1/models" -> ifGet(method, ch, keepAlive, () -> info.models());
      case "/version" -> ifGet(method, ch, keepAlive,
          () -> "{\"version\":\"" + instance.settings().version() + "\"}");
      case "/load" -> ifGet(method, ch, keepAlive, () -> "{\"server_load\":"
          + (instance.settings().serverLoadTracking() ? instance.load() : 0) + "}");
      case "/tokenize", "/detokenize" -> {
        if (method != HttpMethod.POST) {
          notAllowed(ch, keepAlive);
          return;
        }
        byte[] body = ByteBufUtil.getBytes(req.content());
        boolean tokenize = path.equals("/tokenize");
        instance.server().workers().execute(() -> {
          try {
            String json = tokenize ? info.tokenize(body) : info.detokenize(body);
            instance.respondJson(ch, keepAlive, 200, json);
          } catch (RequestParser.Rejected r) {
            instance.respond(ch, keepAlive, r.error());
          }
        });
      }
      default -> {
        if (path.startsWith("/admin/") && method == HttpMethod.POST) {
          admin(ch, keepAlive, path, new QueryStringDecoder(req.uri()));
        } else {
          instance.respondJson(ch, keepAlive, 404, "{\"detail\":\"Not Found\"}");
        }
      }
    }
  }

  private void ifGet(HttpMethod method, Channel ch, boolean keepAlive,
      java.util.function.Supplier<String> json) {
    if (method != HttpMethod.GET) {
      notAllowed(ch, keepAlive);
    } else {
      instance.respondJson(ch, keepAlive, 200, json.get());
    }
  }

  private void notAllowed(Channel ch, boolean keepAlive) {
    instance.respondJson(ch, keepAlive, 405, "{\"detail\":\"Method Not Allowed\"}");
  }

  private void generate(Channel ch, boolean keepAlive, FullHttpRequest req, boolean chat) {
    FaultPlan plan = instance.settings().faults();
    long now = System.nanoTime();
    if (now < instance.failUntilWall || plan.errorFraction() > 0
        && ThreadLocalRandom.current().nextDouble() < plan.errorFraction()) {
      int status = now < instance.failUntilWall ? instance.failStatus : plan.errorStatus();
      instance.respond(ch, keepAlive, status == 503
          ? new ApiError(503, "ServiceUnavailableError", "Service Unavailable (injected fault)",
              null)
          : new ApiError(500, "InternalServerError", "Internal server error", null));
      return;
    }
    if (instance.state() != MockInstance.State.SERVING) {
      instance.respondEngineDead(ch, keepAlive);
      return;
    }
    String requestId = req.headers().get("X-Request-Id");
    Exchange ex = new Exchange(instance, ch, keepAlive, instance.driver.modelNanos(now),
        requestId);
    current = ex;
    instance.exchangeStarted(ex);
    byte[] body = ByteBufUtil.getBytes(req.content());
    instance.server().workers().execute(() -> prepare(ex, body, chat));
  }

  /** Worker thread: parse, tokenize, draw the output lengths, hand over to the driver. */
  private void prepare(Exchange ex, byte[] body, boolean chat) {
    GenerationRequest r;
    try {
      r = instance.parser.parse(body, chat);
    } catch (RequestParser.Rejected rejected) {
      ex.postRejected(rejected.error());
      return;
    }
    String id = (chat ? "chatcmpl-" : "cmpl-") + (ex.requestIdHeader != null
        ? ex.requestIdHeader : HexFormat.of().formatHex(randomBytes()));
    SplittableRandom random = new SplittableRandom(instance.seed() * 0x9E3779B97F4A7C15L
        ^ ThreadLocalRandom.current().nextLong());
    int maxModelLen = instance.spec().engine().maxModelLen();
    OutputLengths lengths = instance.settings().outputLengths();
    double drop = instance.settings().faults().dropProbability();
    Choice[] choices = new Choice[r.choices()];
    int i = 0;
    for (int p = 0; p < r.promptTokens().length; p++) {
      int prompt = r.promptTokens()[p];
      int max = r.effectiveMaxTokens(prompt, maxModelLen);
      for (int j = 0; j < r.n(); j++) {
        int target = r.ignoreEos() ? max
            : Math.max(1, Math.min(max, Math.max(r.minTokens(), lengths.draw(random))));
        Choice c = new Choice(ex, i, prompt, r.blockHashes(p), max, target, random.nextLong());
        if (drop > 0 && r.stream() && target > 1 && random.nextDouble() < drop) {
          c.dropAfter = 1 + random.nextInt(target - 1);
        }
        choices[i++] = c;
      }
    }
    ex.prepare(r, choices, id, System.currentTimeMillis() / 1000);
    instance.driver.execute(() -> instance.driver.submit(ex));
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private void admin(Channel ch, boolean keepAlive, String path, QueryStringDecoder query) {
    try {
      switch (path) {
        case "/admin/kill" -> {
          instance.kill("injected by /admin/kill");
          instance.respondJson(ch, keepAlive, 200, "{\"killed\":true}");
        }
        case "/admin/slowdown" -> {
          double factor = Double.parseDouble(param(query, "factor", "2"));
          long nanos = (long) (Double.parseDouble(param(query, "seconds", "0")) * 1e9);
          instance.slowDown(factor, nanos);
          instance.respondJson(ch, keepAlive, 200, String.format(Locale.US,
              "{\"slowdown\":%s,\"seconds\":%s}", factor, nanos / 1e9));
        }
        case "/admin/drop" -> instance.respondJson(ch, keepAlive, 200,
            "{\"dropped\":" + instance.dropStreams() + "}");
        case "/admin/fail" -> {
          int status = Integer.parseInt(param(query, "status", "503"));
          double seconds = Double.parseDouble(param(query, "seconds", "10"));
          if (status != 500 && status != 503 || !(seconds >= 0)) {
            throw new IllegalArgumentException("status must be 500 or 503 and seconds >= 0");
          }
          instance.failFor(status, (long) (seconds * 1e9));
          instance.respondJson(ch, keepAlive, 200, String.format(Locale.US,
              "{\"status\":%d,\"seconds\":%s}", status, seconds));
        }
        default -> instance.respondJson(ch, keepAlive, 404, "{\"detail\":\"Not Found\"}");
      }
    } catch (IllegalArgumentException e) {
      instance.respond(ch, keepAlive, ApiError.badRequest(String.valueOf(e.getMessage())));
    }
  }

  private static String param(QueryStringDecoder q, String name, String dflt) {
    List<String> v = q.parameters().get(name);
    return v == null || v.isEmpty() ? dflt : v.get(0);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (current != null && ctx.channel().isWritable()) {
      current.flushStream();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (current != null) {
      current.clientGone();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
