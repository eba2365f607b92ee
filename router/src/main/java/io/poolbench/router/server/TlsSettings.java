package io.poolbench.router.server;

import io.poolbench.traces.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * How the router talks TLS to {@code https://} upstreams (router.yaml {@code tls}).
 *
 * @param caFile PEM file of the certificates to trust instead of the JDK's default trust store,
 *     or null for the default store
 * @param insecureSkipVerify accept any certificate for any name (testing only; logged loudly)
 */
public record TlsSettings(Path caFile, boolean insecureSkipVerify) {

  /** The JDK's trust store, certificates and host names verified. */
  public static final TlsSettings DEFAULTS = new TlsSettings(null, false);

  public TlsSettings {
    if (caFile != null && insecureSkipVerify) {
      throw new BadInputException("ca-file and insecure-skip-verify: true exclude each other");
    }
  }

  /** A JDK client context that trusts what these settings say (for JDK HTTP clients). */
  public SSLContext sslContext() {
    return UpstreamTls.create(this, 10_000, false).context();
  }

  /**
   * The X.509 certificates in PEM file {@code file} (one or more).
   *
   * @throws BadInputException when the file is missing, unreadable or holds no certificate
   */
  public static List<X509Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (c instanceof X509Certificate x) {
          out.add(x);
        }
      }
      if (out.isEmpty()) {
        throw new BadInputException("'" + file + "' holds no PEM certificate");
      }
      return out;
    } catch (NoSuchFileException e) {
      throw new BadInputException("Could not find file: " + file);
    } catch (IOException e) {
      throw new BadInputException("could not read '" + file + "': " + e.getMessage());
    } catch (CertificateException e) {
      throw new BadInputException("'" + file + "' is not a PEM certificate file ("
          + e.getMessage() + ")");
    }
  }
}
