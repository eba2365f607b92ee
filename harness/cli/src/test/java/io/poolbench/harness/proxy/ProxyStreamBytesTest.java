package io.poolbench.harness.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.policy.PolicySettings;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stream passes through the router byte for byte, however the upstream cuts it up. */
@Timeout(60)
class ProxyStreamBytesTest {

  @Test
  void awkwardlyChunkedStream_throughRouter_identicalBytes_andUsageLearned() throws Exception {
    try (FixedSseServer upstream = new FixedSseServer();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      RouterSettings router = new RouterSettings(List.of(new PoolSpec("only", 8192, 8)),
          "single", PolicySettings.DEFAULTS, EstimatorSettings.DEFAULTS);
      try (ProxyServer proxy = ProxyServer.start(ProxySettings.defaults(router,
          List.of(List.of(URI.create(upstream.url())))).withIoThreads(1))) {
        String body = "{\"prompt\":\"" + ProxyFixture.prose(2_000, 1)
            + "\",\"max_tokens\":3,\"stream\":true}";
        byte[] direct = send(http, upstream.url(), body);
        byte[] routed = send(http, proxy.url(), body);
        String expected = String.join("", FixedSseServer.PIECES) + FixedSseServer.DONE;
        assertThat(new String(direct, java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo(expected);
        assertThat(routed).isEqualTo(direct);
        // the router asked for usage itself and learned from it
        assertThat(proxy.router().estimator().samples(0)).isEqualTo(1);
        assertThat(proxy.router().estimator().meanRatio(0)).isEqualTo(2_000 / 321.0,
            org.assertj.core.data.Offset.offset(0.01));
      }
    }
  }

  private static byte[] send(HttpClient http, String base, String body) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base
            + "/v1/completions")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
