package io.poolbench.router.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.router.server.LoadSignalSettings;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.TlsSettings;
import io.poolbench.traces.BadInputException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterConfigsTest {

  private static final String GOOD = """
      listen: 0.0.0.0:9000
      pools:
        - name: short
          max-model-len: 8192
          endpoints: [http://10.0.0.1:8000, http://10.0.0.2:8000]
        - name: long
          endpoints: [http://10.0.1.1:8000/]
      routing:
        spill-pressure: 0.9
        picker: power-of-two
      estimator:
        gamma: 0.5
        output-budget: fixed:256
      timeouts: {connect: 500ms, first-byte: 2m, idle: 15s}
      limits: {max-body-bytes: 2m}
      state-key: s3cret
      """;

  private static ProxySettings resolve(String yaml) {
    return RouterConfigs.resolve(RouterConfigs.parse(yaml, "router.yaml"), u -> 65536);
  }

  @Test
  void goodFile_resolvesEverySetting_andReadsMissingMaxModelLen() {
    ProxySettings s = resolve(GOOD);
    assertThat(s.host()).isEqualTo("0.0.0.0");
    assertThat(s.port()).isEqualTo(9000);
    assertThat(s.router().pools().get(1).maxModelLen()).isEqualTo(65536);
    assertThat(s.router().pools().get(0).capacity()).isEqualTo(512);
    assertThat(s.router().policy()).isEqualTo("token-budget");
    assertThat(s.router().policySettings().shortBudgetTokens()).isEqualTo(8192);
    assertThat(s.router().policySettings().spillPressure()).isEqualTo(0.9);
    assertThat(s.router().estimatorSettings().gamma()).isEqualTo(0.5);
    assertThat(s.picker()).isEqualTo("power-of-two");
    assertThat(s.endpoints().get(1)).containsExactly(URI.create("http://10.0.1.1:8000"));
    assertThat(s.connectTimeoutMillis()).isEqualTo(500);
    assertThat(s.firstByteTimeoutNanos()).isEqualTo(120_000_000_000L);
    assertThat(s.maxBodyBytes()).isEqualTo(2 << 20);
    assertThat(s.stateKey()).isEqualTo("s3cret");
  }

  @Test
  void newKeys_defaultsAndExplicitValues() {
    ProxySettings d = resolve(GOOD);
    assertThat(d.retries()).isEqualTo(1);
    assertThat(d.loadSignals()).isEqualTo(LoadSignalSettings.DEFAULTS);
    assertThat(d.tls()).isEqualTo(TlsSettings.DEFAULTS);
    ProxySettings s = resolve("""
        pools:
          - {name: a, max-model-len: 10, endpoints: [https://engine.example, HTTPS://h:8443]}
        retries: 0
        load-signals: {interval: 1s, timeout: 300ms}
        tls: {insecure-skip-verify: true}
        """);
    assertThat(s.endpoints().get(0)).containsExactly(URI.create("https://engine.example"),
        URI.create("https://h:8443"));
    assertThat(s.retries()).isZero();
    // max-age defaults to four intervals
    assertThat(s.loadSignals()).isEqualTo(
        new LoadSignalSettings(1_000_000_000L, 300_000_000L, 4_000_000_000L));
    assertThat(s.tls().insecureSkipVerify()).isTrue();
    assertThat(resolve("""
        pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}]
        load-signals: {interval: 0}
        """).loadSignals().enabled()).isFalse();
  }

  @Test
  void caFileWithoutCertificate_failsNamingTheKey(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    String yaml = "{pools: [{name: a, max-model-len: 10, endpoints: [https://h]}], "
        + "tls: {ca-file: '" + empty + "'}}";
    assertThatThrownBy(() -> resolve(yaml)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("tls.ca-file: '" + empty + "' ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}, {name: b, max-model-len: 20, endpoints: ['ftp://x']}]"
          + "|pools[1].endpoints[0]: 'ftp://x' is not a URL",
      "pools: [{name: a, max-model-len: 10, endpoints: [http://h:1], colour: red}]"
          + "|pools[0].colour: unknown key",
      "pools: [{name: a, max-model-len: ten, endpoints: [http://h:1]}]"
          + "|pools[0].max-model-len: bad value",
      "pools: [{name: a, max-model-len: 10, endpoints: []}]"
          + "|pools[0].endpoints: must list at least one URL",
      "pools: [{name: a, max-model-len: 20, endpoints: [http://h:1]}, {name: b, max-model-len: 10, endpoints: [http://h:2]}]"
          + "|pools[1].max-model-len (10) must not be smaller",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], timeouts: {idle: soon}}"
          + "|timeouts.idle: 'soon' is not a duration",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], routing: {policy: best}}"
          + "|routing.policy: Unknown",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], listen: nowhere}"
          + "|listen: 'nowhere' is not host:port",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], estimator: {beta: 2}}"
          + "|estimator: estimator beta (2.0) must be in [0, 1)",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], retries: -1}"
          + "|retries: -1 must be >= 0 (0 turns retries off)",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], retries: many}"
          + "|retries: bad value",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], load-signals: {interval: often}}"
          + "|load-signals.interval: 'often' is not a duration",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], load-signals: {timeout: 0}}"
          + "|load-signals.timeout: '0' must be > 0",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], load-signals: {interval: 1s, max-age: 500ms}}"
          + "|load-signals.max-age: 500 ms must be > 0 and at least the interval (1000 ms)",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], load-signals: {every: 1s}}"
          + "|load-signals.every: unknown key; expected one of interval, max-age, timeout",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], tls: {ca-file: /no/such/ca.pem}}"
          + "|tls.ca-file: Could not find file: /no/such/ca.pem",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], tls: {insecure-skip-verify: maybe}}"
          + "|tls.insecure-skip-verify: bad value",
      "{pools: [{name: a, max-model-len: 10, endpoints: [http://h:1]}], tls: {ca-file: x.pem, insecure-skip-verify: true}}"
          + "|tls.insecure-skip-verify: true excludes tls.ca-file; remove one of them",
      "{pools: [{name: a, max-model-len: 10, endpoints: ['https://']}]}"
          + "|pools[0].endpoints[0]: 'https://' is not a URL (http://host:port or https://host[:port])"})
  void badFile_namesTheKeyPath(String yaml, String message) {
    assertThatThrownBy(() -> resolve(yaml)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(message);
  }
}
