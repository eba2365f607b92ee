package io.poolbench.harness.proxy;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.mock.OutputLengths;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.policy.PolicySettings;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A mock vLLM fleet on loopback (one mock server per pool, fast perf model) with the router
 * service in front, plus a plain HTTP/1.1 client for tests.
 */
final class ProxyFixture implements AutoCloseable {
  static final String MODEL = "my-model";
  static final int SHORT_LEN = 2048;
  static final int LONG_LEN = 16_384;

  final List<MockServer> mocks = new ArrayList<>();
  final List<List<MockInstance>> instances = new ArrayList<>();
  final ProxyServer proxy;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** W = 1 ms, H = 0.1 ms at 8K per step, model time 5x wall time: quick but real steps. */
  static MockSettings mockSettings(long seed) {
    return MockSettings.defaults().withTimeScale(5).withSeed(seed)
        .withOutputLengths(OutputLengths.parse("fixed:8"))
        .withRestart(60_000_000_000L, 300_000_000L);
  }

  static InstanceSpec spec(String pool, int index, int maxModelLen) {
    return new InstanceSpec(pool, index, MODEL, EngineConfig.of(maxModelLen, 64, 4096, 4096),
        new AffinePerfModel(1_000_000L, 100_000L, 8192), 0);
  }

  /**
   * Pools {@code short} (2,048) and {@code long} (16,384) with {@code perPool[i]} instances each,
   * under {@code token-budget} (B_short = 2,048); {@code tweak} adjusts the proxy settings.
   */
  static ProxyFixture twoPools(int shortInstances, int longInstances, int shortCapacity,
      PolicySettings policy, UnaryOperator<ProxySettings> tweak) {
    return new ProxyFixture(List.of(new PoolSpec("short", SHORT_LEN, shortCapacity),
        new PoolSpec("long", LONG_LEN, 1000)), new int[] {shortInstances, longInstances}, policy,
        tweak, 11);
  }

  ProxyFixture(List<PoolSpec> pools, int[] counts, PolicySettings policy,
      UnaryOperator<ProxySettings> tweak, long seed) {
    List<List<URI>> urls = new ArrayList<>();
    try {
      for (int p = 0; p < pools.size(); p++) {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < counts[p]; i++) {
          specs.add(spec(pools.get(p).name(), i, pools.get(p).maxModelLen()));
        }
        MockServer m = MockServer.start(mockSettings(seed + p), specs, line -> { });
        mocks.add(m);
        instances.add(m.instances());
        urls.add(m.instances().stream().map(x -> URI.create(x.url())).toList());
      }
      RouterSettings router = new RouterSettings(pools, pools.size() == 1 ? "single"
          : "token-budget", policy, EstimatorSettings.DEFAULTS);
      ProxySettings s = ProxySettings.defaults(router, urls).withIoThreads(2)
          .withHealth(200_000_000L, 500_000_000L, 5_000_000_000L);
      proxy = ProxyServer.start(tweak.apply(s));
    } catch (RuntimeException e) {
      mocks.forEach(MockServer::close);
      throw e;
    }
  }

  static PolicySettings policy() {
    return PolicySettings.DEFAULTS.withShortBudgetTokens(SHORT_LEN).withSpillover(false);
  }

  MockInstance instance(int pool, int index) {
    return instances.get(pool).get(index);
  }

  HttpResponse<String> post(String path, String json) {
    return post(proxy.url(), path, json, Map.of());
  }

  HttpResponse<String> post(String base, String path, String json, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return send(b.build());
  }

  HttpResponse<String> postBytes(String path, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(proxy.url() + path))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json").build());
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(proxy.url() + path))
        .timeout(Duration.ofSeconds(30)).GET().build());
  }

  HttpResponse<String> send(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A completions body with a {@code prompt} string, {@code maxTokens} and {@code ignore_eos}. */
  static String completion(String prompt, int maxTokens, boolean stream) {
    return "{\"model\":\"" + MODEL + "\",\"prompt\":\"" + prompt + "\",\"max_tokens\":"
        + maxTokens + ",\"ignore_eos\":true,\"stream\":" + stream + "}";
  }

  /** English-like text of about {@code bytes} bytes, varied by {@code seed}. */
  static String prose(int bytes, int seed) {
    String[] words = {"the", "router", "sends", "each", "request", "to", "a", "pool", "whose",
        "context", "window", "holds", "its", "prompt", "and", "output", "budget", "while",
        "engines", "learn", "from", "usage", "reports", "quickly"};
    StringBuilder sb = new StringBuilder(bytes + 16);
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    while (sb.length() < bytes) {
      sb.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ". " : " ");
    }
    return sb.substring(0, bytes);
  }

  /** Random decimal digits: about 3 bytes per token under cl100k, far below the default 4.0. */
  static String digits(int bytes, int seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    StringBuilder sb = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (proxy != null) {
      proxy.close();
    }
    mocks.forEach(MockServer::close);
    // close() would wait for requests still in flight (a failed test can leave slow streams)
    http.shutdownNow();
  }

  /** Polls {@code condition} every 20 ms for up to 15 s; fails naming {@code what}. */
  static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}
