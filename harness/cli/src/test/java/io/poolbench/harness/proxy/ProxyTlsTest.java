package io.poolbench.harness.proxy;

import static io.poolbench.harness.proxy.ProxyFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.server.LoadSignalSettings;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.TlsSettings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} upstreams: a TLS upstream on loopback with a self-signed certificate made for
 * this test ({@code CN=localhost}, SAN {@code dns:localhost} only), reached through the router
 * with the certificate as {@code ca-file}, with no trust, under another name, and with
 * verification off. Failures must be a clean 502 envelope, never a hang (the failure cases run
 * without health probes, which would otherwise eject the endpoint before the request meets it).
 */
@Timeout(60)
class ProxyTlsTest {

  @TempDir
  static Path dir;
  static TestCertificates certs;
  static CannedUpstream upstream;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.selfSigned(dir, "dns:localhost");
    upstream = new CannedUpstream(certs.serverContext());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    upstream.close();
    http.close();
  }

  /** A router in front of {@code url}; {@code probes}: health probes every 100 ms, else none. */
  private static ProxyServer proxy(String url, TlsSettings tls, boolean probes) {
    RouterSettings router = new RouterSettings(List.of(new PoolSpec("only", 16_384, 64)),
        "single", ProxyFixture.policy(), EstimatorSettings.DEFAULTS);
    return ProxyServer.start(ProxySettings.defaults(router, List.of(List.of(URI.create(url))))
        .withIoThreads(1).withTls(tls).withHealth(probes ? 100_000_000L : 0, 500_000_000L,
            5_000_000_000L)
        .withLoadSignals(new LoadSignalSettings(100_000_000L, 1_000_000_000L, 2_000_000_000L)));
  }

  private static HttpResponse<String> post(ProxyServer p) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(p.url() + "/v1/completions"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            ProxyFixture.completion("hello there", 1, false))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code localhost}'s address as a URL host (the upstream listens there). */
  private static String ipHost() throws Exception {
    InetAddress a = InetAddress.getByName("localhost");
    return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
  }

  @Test
  void caFile_requestAndScrapesGoThroughTls_withSni() throws Exception {
    upstream.metricsPage = CannedUpstream.page(3, 2, 0.5);
    try (ProxyServer p = proxy(upstream.url("localhost"),
        new TlsSettings(certs.pem(), false), true)) {
      HttpResponse<String> r = post(p);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(CannedUpstream.COMPLETION);
      assertThat(upstream.sniNames).contains("localhost");
      await("a load signal scraped over TLS", () -> p.pool(0).endpoints().signal(0) != null);
      assertThat(p.pool(0).endpoints().signal(0).waiting()).isEqualTo(2);
      assertThat(p.pool(0).endpoints().signal(0).running()).isEqualTo(3);
      assertProbesKeepItUp(p);
    }
  }

  @Test
  void untrustedCertificate_clean502_andScrapeFailureCounted() throws Exception {
    try (ProxyServer p = proxy(upstream.url("localhost"), TlsSettings.DEFAULTS, false)) {
      HttpResponse<String> r = post(p);
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).startsWith("{\"error\":{\"message\":\"TLS handshake with localhost:"
          + upstream.port() + " failed: ").contains("PKIX path building failed")
          .contains("\"type\":\"BadGateway\"");
      await("a failed scrape", () -> p.pool(0).scrapes(0).failures() > 0);
      assertThat(p.pool(0).endpoints().signal(0)).isNull();
    }
  }

  @Test
  void hostNameNotInCertificate_clean502() throws Exception {
    try (ProxyServer p = proxy(upstream.url(ipHost()), new TlsSettings(certs.pem(), false),
        false)) {
      HttpResponse<String> r = post(p);
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).contains("TLS handshake with ").contains("No subject alternative "
          + "names matching IP address").contains("\"code\":502");
    }
  }

  @Test
  void insecureSkipVerify_acceptsAnyName() throws Exception {
    try (ProxyServer p = proxy(upstream.url(ipHost()), new TlsSettings(null, true), true)) {
      HttpResponse<String> r = post(p);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(CannedUpstream.COMPLETION);
      assertProbesKeepItUp(p);
    }
  }

  /** The JDK client's health probes (every 100 ms here) use the same trust: no ejection. */
  private static void assertProbesKeepItUp(ProxyServer p) throws Exception {
    Thread.sleep(400);
    assertThat(p.pool(0).health(0).lastFailure()).isNull();
    assertThat(p.pool(0).health(0).ejected()).isFalse();
    assertThat(post(p).statusCode()).isEqualTo(200);
  }
}
