package io.poolbench.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamTlsTest {

  @ParameterizedTest
  @CsvSource({"https://engine.example, 443", "https://engine.example:8443, 8443",
      "http://engine.example, 80", "http://10.0.0.1:8000, 8000"})
  void port_defaultsBySchema(String url, int port) {
    assertThat(UpstreamPool.port(URI.create(url))).isEqualTo(port);
  }

  @ParameterizedTest
  @CsvSource({"engine.example, true, true", "localhost, true, true", "10.0.0.1, false, true",
      "::1, false, true", "engine.example, true, false"})
  void handler_sendsSniForNames_andVerifiesUnlessInsecure(String host, boolean sni,
      boolean verify) {
    UpstreamTls tls = UpstreamTls.create(new TlsSettings(null, !verify), 2_000, false);
    SslHandler h = tls.newHandler(ByteBufAllocator.DEFAULT, host, 443);
    SSLParameters p = h.engine().getSSLParameters();
    assertThat(h.engine().getUseClientMode()).isTrue();
    assertThat(p.getEndpointIdentificationAlgorithm()).isEqualTo(verify ? "HTTPS" : null);
    if (sni) {
      assertThat(p.getServerNames()).containsExactly(new SNIHostName(host));
    } else {
      assertThat(p.getServerNames()).isNullOrEmpty();
    }
    assertThat(h.getHandshakeTimeoutMillis()).isEqualTo(2_000);
  }
}
