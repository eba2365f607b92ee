package io.poolbench.harness.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * A tiny vLLM-shaped upstream on loopback (JDK HTTP server, optionally HTTPS): a canned
 * non-streaming completion with usage, {@code /health} 200, and a {@code /metrics} page and
 * status the test sets. Over TLS it records the SNI host names clients sent.
 */
final class CannedUpstream implements AutoCloseable {

  static final String COMPLETION = "{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
      + "\"created\":1,"
      + "\"model\":\"my-model\",\"choices\":[{\"index\":0,\"text\":\" hi\",\"logprobs\":null,"
      + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":6,"
      + "\"completion_tokens\":1}}";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final boolean secure;
  final Set<String> sniNames = ConcurrentHashMap.newKeySet();
  final AtomicInteger completions = new AtomicInteger();
  volatile int metricsStatus = 200;
  volatile String metricsPage = page(0, 0, 0.0);

  /** Plain HTTP on 127.0.0.1 when {@code tls} is null, else HTTPS on {@code localhost}. */
  CannedUpstream(SSLContext tls) {
    try {
      this.secure = tls != null;
      if (tls == null) {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      } else {
        HttpsServer s = HttpsServer.create(
            new InetSocketAddress(InetAddress.getByName("localhost"), 0), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
              @Override
              public boolean matches(SNIServerName name) {
                sniNames.add(((SNIHostName) name).getAsciiName());
                return true;
              }
            }));
            params.setSSLParameters(p);
          }
        });
        server = s;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/v1/completions", x -> {
      x.getRequestBody().readAllBytes();
      completions.incrementAndGet();
      x.getResponseHeaders().add("Content-Type", "application/json");
      send(x, 200, COMPLETION);
    });
    server.createContext("/health", x -> send(x, 200, ""));
    server.createContext("/metrics", x -> send(x, metricsStatus, metricsPage));
    server.start();
  }

  /** A vLLM v0.11-style load section of a {@code /metrics} page. */
  static String page(int running, int waiting, double kvUsage) {
    return "# HELP vllm:num_requests_running Number of requests in model execution batches.\n"
        + "# TYPE vllm:num_requests_running gauge\n"
        + "vllm:num_requests_running{engine=\"0\",model_name=\"my-model\"} " + running + ".0\n"
        + "# TYPE vllm:num_requests_waiting gauge\n"
        + "vllm:num_requests_waiting{engine=\"0\",model_name=\"my-model\"} " + waiting + ".0\n"
        + "# TYPE vllm:kv_cache_usage_perc gauge\n"
        + "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"my-model\"} " + kvUsage + "\n";
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:port}, or {@code https://<host>:port} for a TLS upstream. */
  String url(String host) {
    return (secure ? "https://" : "http://") + host + ":" + port();
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
