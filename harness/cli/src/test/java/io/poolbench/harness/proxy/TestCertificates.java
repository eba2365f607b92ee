package io.poolbench.harness.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made with the JDK's {@code keytool} for one test: the PKCS#12
 * key store a TLS upstream serves from and the certificate as PEM (what a client trusts).
 *
 * @param keyStore the PKCS#12 file with the key pair
 * @param pem the certificate, PEM-encoded
 */
record TestCertificates(Path keyStore, Path pem) {

  private static final String PASSWORD = "changeit";

  /** A certificate for {@code CN=localhost} with subject alternative names {@code san}. */
  static TestCertificates selfSigned(Path dir, String san) throws IOException,
      InterruptedException {
    Path ks = dir.resolve("upstream.p12");
    Path pem = dir.resolve("upstream.pem");
    keytool("-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "san=" + san, "-validity", "2", "-storetype",
        "PKCS12", "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "upstream", "-keystore", ks.toString(),
        "-storepass", PASSWORD, "-file", pem.toString());
    return new TestCertificates(ks, pem);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
  }

  /** A server-side TLS context serving this certificate. */
  SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
