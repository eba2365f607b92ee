package io.poolbench.router.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS towards {@code https://} upstreams with the JDK's provider: one {@link SSLContext} built
 * from {@link TlsSettings} (the CA file's certificates, the default trust store, or, with
 * insecure-skip-verify, no checks at all), used by the Netty connections through {@link
 * SslHandler}s (SNI = the URL's host name; host names verified as HTTPS does) and by the JDK
 * client of the health probes.
 */
final class UpstreamTls {

  private static final System.Logger LOG = System.getLogger(UpstreamTls.class.getName());

  private final SSLContext context;
  private final boolean verify;
  private final long handshakeTimeoutMillis;

  private UpstreamTls(SSLContext context, boolean verify, long handshakeTimeoutMillis) {
    this.context = context;
    this.verify = verify;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  /** The context for {@code settings}; the handshake must end within {@code timeoutMillis}. */
  static UpstreamTls create(TlsSettings settings, long handshakeTimeoutMillis) {
    return create(settings, handshakeTimeoutMillis, true);
  }

  static UpstreamTls create(TlsSettings settings, long handshakeTimeoutMillis, boolean warn) {
    try {
      TrustManager[] trust;
      if (settings.insecureSkipVerify()) {
        if (warn) {
          LOG.log(System.Logger.Level.WARNING, "tls.insecure-skip-verify is true: upstream "
              + "TLS certificates and host names are NOT verified; anyone on the network path "
              + "can read and change the traffic. Use it for testing only.");
        }
        trust = new TrustManager[] {new TrustAll()};
      } else if (settings.caFile() != null) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        List<X509Certificate> certs = TlsSettings.certificates(settings.caFile());
        for (int i = 0; i < certs.size(); i++) {
          store.setCertificateEntry("ca-" + i, certs.get(i));
        }
        TrustManagerFactory f =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        trust = f.getTrustManagers();
      } else {
        trust = null; // the JDK's default trust store
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      return new UpstreamTls(context, !settings.insecureSkipVerify(), handshakeTimeoutMillis);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("could not set up TLS: " + e.getMessage(), e);
    }
  }

  SSLContext context() {
    return context;
  }

  /** A client-side handler for a connection to {@code host}:{@code port}. */
  SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    if (verify) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    // the JDK sends SNI only for dotted names; send it for every host name, never for an IP
    if (!ipLiteral(host)) {
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    engine.setSSLParameters(p);
    SslHandler h = new SslHandler(engine);
    h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return h;
  }

  static boolean ipLiteral(String host) {
    if (host.indexOf(':') >= 0 || host.startsWith("[")) {
      return true; // IPv6
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** Accepts every certificate for every name (insecure-skip-verify). */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
