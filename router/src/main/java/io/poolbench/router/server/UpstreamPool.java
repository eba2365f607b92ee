package io.poolbench.router.server;

import io.poolbench.router.PoolSpec;
import io.poolbench.router.pick.EndpointPicker;
import io.poolbench.router.pick.Endpoints;
import java.net.URI;
import java.util.List;

/**
 * One routing pool at run time: its spec, its endpoints' URLs, load counters and health, and the
 * picker that chooses among them, skipping ejected endpoints.
 */
public final class UpstreamPool {

  final int index;
  final PoolSpec spec;
  final List<URI> urls;
  final String[] authorities;
  final Endpoints endpoints;
  final EndpointPicker picker;
  final EndpointHealth[] health;
  final ScrapeStats[] scrapes;

  UpstreamPool(int index, PoolSpec spec, List<URI> urls, EndpointPicker picker,
      ProxySettings settings) {
    this.index = index;
    this.spec = spec;
    this.urls = List.copyOf(urls);
    this.authorities = urls.stream().map(u -> u.getHost() + ":" + port(u)).toArray(String[]::new);
    this.endpoints = new Endpoints(List.of(authorities));
    this.picker = picker;
    this.health = new EndpointHealth[urls.size()];
    this.scrapes = new ScrapeStats[urls.size()];
    for (int i = 0; i < health.length; i++) {
      health[i] = new EndpointHealth(settings.ejectBaseNanos(), settings.ejectMaxNanos(),
          settings.probeIntervalNanos() > 0);
      scrapes[i] = new ScrapeStats();
    }
  }

  /** The URL's port, else 443 for {@code https}, 80 for {@code http}. */
  static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : secure(u) ? 443 : 80;
  }

  static boolean secure(URI u) {
    return "https".equalsIgnoreCase(u.getScheme());
  }

  /** True when {@code endpoint} is an {@code https://} URL. */
  boolean secure(int endpoint) {
    return secure(urls.get(endpoint));
  }

  /** {@code endpoint}'s {@code /metrics} scrape outcomes. */
  public ScrapeStats scrapes(int endpoint) {
    return scrapes[endpoint];
  }

  public String name() {
    return spec.name();
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  public EndpointHealth health(int endpoint) {
    return health[endpoint];
  }

  public URI url(int endpoint) {
    return urls.get(endpoint);
  }

  /** True when at least one endpoint is available. */
  boolean anyAvailable(long nowNanos) {
    return anyAvailable(nowNanos, 0);
  }

  /** True when an endpoint not in {@code excluded} (a bit per endpoint) is available. */
  boolean anyAvailable(long nowNanos, long excluded) {
    for (int e = 0; e < health.length; e++) {
      if ((e >= 64 || (excluded & (1L << e)) == 0) && health[e].available(nowNanos)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The picker's choice for a request of {@code tokens} (and prompt blocks {@code prefix}, or
   * null), or, when that endpoint is unavailable or
   * in {@code excluded} (a bit per endpoint, for retries), the next available one in order; -1
   * when none is left.
   */
  int pick(long tokens, long nowNanos, long excluded, long[] prefix) {
    int n = health.length;
    int first = n == 1 ? 0 : prefix == null ? picker.pick(endpoints, tokens, nowNanos)
        : picker.pick(endpoints, tokens, prefix, prefix.length, nowNanos);
    for (int k = 0; k < n; k++) {
      int e = (first + k) % n;
      if ((e >= 64 || (excluded & (1L << e)) == 0) && health[e].available(nowNanos)) {
        return e;
      }
    }
    return -1;
  }
}
