package io.poolbench.harness.mock;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.perf.AffinePerfModel;
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

/** Starts mock servers on loopback (port 0) for tests and talks raw HTTP to them. */
final class MockFixture implements AutoCloseable {
  static final String MODEL = "my-model";

  final MockServer server;
  final List<String> log = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private MockFixture(MockServer server) {
    this.server = server;
  }

  /** Fast steps: W = 1 ms, H = 0.1 ms at 8K, model time 5x faster than wall time. */
  static AffinePerfModel fastPerf() {
    return new AffinePerfModel(1_000_000L, 100_000L, 8192);
  }

  static InstanceSpec spec(int maxModelLen, int maxNumSeqs, int blocks) {
    return new InstanceSpec("test", 0, MODEL,
        EngineConfig.of(maxModelLen, maxNumSeqs, 2048, blocks), fastPerf(), 0);
  }

  static MockSettings settings() {
    return MockSettings.defaults().withTimeScale(5).withOutputLengths(OutputLengths.parse(
        "fixed:8")).withRestart(1_500_000_000L, 300_000_000L);
  }

  static MockFixture start(MockSettings settings, InstanceSpec... specs) {
    List<String> lines = new ArrayList<>();
    MockServer s = MockServer.start(settings, List.of(specs), line -> {
      synchronized (lines) {
        lines.add(line);
      }
    });
    MockFixture f = new MockFixture(s);
    f.log.addAll(lines);
    return f;
  }

  static MockFixture start() {
    return start(settings(), spec(2048, 16, 1024));
  }

  MockInstance instance() {
    return server.instances().get(0);
  }

  String url() {
    return instance().url();
  }

  HttpResponse<String> post(String path, String json) {
    return post(path, json, Map.of());
  }

  HttpResponse<String> post(String path, String json, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return send(b.build());
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(30)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String metrics() {
    return get("/metrics").body();
  }

  @Override
  public void close() {
    server.close();
    http.close();
  }
}
