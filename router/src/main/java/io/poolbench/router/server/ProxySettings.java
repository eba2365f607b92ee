package io.poolbench.router.server;

import io.poolbench.router.RouterSettings;
import io.poolbench.router.inspect.Categorizer;
import io.poolbench.router.pick.PickerSettings;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link ProxyServer} is built from, resolved and validated (the config file parser
 * produces it; tests build it directly).
 *
 * @param host address to listen on
 * @param port port to listen on (0: any free port)
 * @param router pools, policy and estimator of the router core; pool {@code i} is served by
 *     {@code endpoints.get(i)}
 * @param endpoints each pool's engine base URLs ({@code http://host:port} or {@code https://…})
 * @param picker endpoint picker registry name
 * @param pickerSettings how the picker weighs load signals (whether they are used and their
 *     max age come from {@code loadSignals})
 * @param categorizer where categories come from
 * @param categoryHeader the request header naming a category
 * @param connectTimeoutMillis upstream TCP connect limit
 * @param firstByteTimeoutNanos limit from sending a request upstream to its response head
 * @param idleTimeoutNanos limit on the gap between two upstream body chunks
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param endpointHeader whether responses carry {@code x-poolbench-endpoint}
 * @param stateKey bearer key protecting {@code /router/state}, or null for none
 * @param ioThreads event-loop threads (0: available processors)
 * @param probeIntervalNanos period of the active {@code /health} probes (0: off)
 * @param ejectBaseNanos first ejection backoff after a passive failure (doubles per failure)
 * @param ejectMaxNanos longest ejection backoff
 * @param loadSignals how endpoints' {@code /metrics} are scraped for engine load
 * @param retries how many times a request that failed before any byte reached the client
 *     (connect error, connection closed, 500/502/503/504, first-byte timeout) is sent to another
 *     endpoint (0: never)
 * @param tls trust settings for {@code https://} endpoints
 */
public record ProxySettings(
    String host,
    int port,
    RouterSettings router,
    List<List<URI>> endpoints,
    String picker,
    PickerSettings pickerSettings,
    Categorizer.Mode categorizer,
    String categoryHeader,
    int connectTimeoutMillis,
    long firstByteTimeoutNanos,
    long idleTimeoutNanos,
    int maxBodyBytes,
    boolean endpointHeader,
    String stateKey,
    int ioThreads,
    long probeIntervalNanos,
    long ejectBaseNanos,
    long ejectMaxNanos,
    LoadSignalSettings loadSignals,
    int retries,
    TlsSettings tls) {

  public ProxySettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(router, "router");
    endpoints = endpoints.stream().map(List::copyOf).toList();
    if (endpoints.size() != router.pools().size()) {
      throw new IllegalArgumentException("endpoints lists (" + endpoints.size()
          + ") must match pools (" + router.pools().size() + ")");
    }
    Objects.requireNonNull(picker, "picker");
    Objects.requireNonNull(pickerSettings, "pickerSettings");
    Objects.requireNonNull(categorizer, "categorizer");
    Objects.requireNonNull(categoryHeader, "categoryHeader");
    Objects.requireNonNull(loadSignals, "loadSignals");
    Objects.requireNonNull(tls, "tls");
    if (retries < 0) {
      throw new IllegalArgumentException("retries (" + retries + ") must be >= 0");
    }
  }

  /**
   * Loopback defaults around {@code router} and {@code endpoints}: any free port, least-requests
   * picker, header-or-sniff categories, connect 2 s, first byte 60 s, idle 30 s, 8 MiB bodies,
   * endpoint header on, no state key, probes every second, ejection 1 s doubling to 30 s,
   * {@code /metrics} scraped every 500 ms ({@link LoadSignalSettings#DEFAULTS}), one retry, the
   * JDK's trust store for {@code https://} endpoints.
   */
  public static ProxySettings defaults(RouterSettings router, List<List<URI>> endpoints) {
    return new ProxySettings("127.0.0.1", 0, router, endpoints, "least-requests",
        PickerSettings.DEFAULTS, Categorizer.Mode.HEADER_OR_SNIFF, Categorizer.DEFAULT_HEADER,
        2_000, 60_000_000_000L, 30_000_000_000L, 8 << 20, true, null, 0, 1_000_000_000L,
        1_000_000_000L, 30_000_000_000L, LoadSignalSettings.DEFAULTS, 1,
        TlsSettings.DEFAULTS);
  }

  public ProxySettings withPicker(String value) {
    return new ProxySettings(host, port, router, endpoints, value, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos,
        maxBodyBytes, endpointHeader, stateKey, ioThreads, probeIntervalNanos, ejectBaseNanos,
        ejectMaxNanos, loadSignals, retries, tls);
  }

  public ProxySettings withMaxBodyBytes(int value) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos, value,
        endpointHeader, stateKey, ioThreads, probeIntervalNanos, ejectBaseNanos, ejectMaxNanos,
        loadSignals, retries, tls);
  }

  public ProxySettings withTimeouts(int connectMillis, long firstByteNanos, long idleNanos) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectMillis, firstByteNanos, idleNanos, maxBodyBytes, endpointHeader,
        stateKey, ioThreads, probeIntervalNanos, ejectBaseNanos, ejectMaxNanos, loadSignals,
        retries, tls);
  }

  public ProxySettings withStateKey(String value) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos,
        maxBodyBytes, endpointHeader, value, ioThreads, probeIntervalNanos, ejectBaseNanos,
        ejectMaxNanos, loadSignals, retries, tls);
  }

  public ProxySettings withHealth(long probeNanos, long ejectBase, long ejectMax) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos,
        maxBodyBytes, endpointHeader, stateKey, ioThreads, probeNanos, ejectBase, ejectMax,
        loadSignals, retries, tls);
  }

  public ProxySettings withIoThreads(int value) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos,
        maxBodyBytes, endpointHeader, stateKey, value, probeIntervalNanos, ejectBaseNanos,
        ejectMaxNanos, loadSignals, retries, tls);
  }

  public ProxySettings withListen(String value, int portNumber) {
    return new ProxySettings(value, portNumber, router, endpoints, picker, pickerSettings,
        categorizer, categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos,
        idleTimeoutNanos, maxBodyBytes, endpointHeader, stateKey, ioThreads, probeIntervalNanos,
        ejectBaseNanos, ejectMaxNanos, loadSignals, retries, tls);
  }

  public ProxySettings withLoadSignals(LoadSignalSettings value) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos,
        maxBodyBytes, endpointHeader, stateKey, ioThreads, probeIntervalNanos, ejectBaseNanos,
        ejectMaxNanos, value, retries, tls);
  }

  public ProxySettings withRetries(int value) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos,
        maxBodyBytes, endpointHeader, stateKey, ioThreads, probeIntervalNanos, ejectBaseNanos,
        ejectMaxNanos, loadSignals, value, tls);
  }

  public ProxySettings withTls(TlsSettings value) {
    return new ProxySettings(host, port, router, endpoints, picker, pickerSettings, categorizer,
        categoryHeader, connectTimeoutMillis, firstByteTimeoutNanos, idleTimeoutNanos,
        maxBodyBytes, endpointHeader, stateKey, ioThreads, probeIntervalNanos, ejectBaseNanos,
        ejectMaxNanos, loadSignals, retries, value);
  }
}
