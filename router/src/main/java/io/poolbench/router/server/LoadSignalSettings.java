package io.poolbench.router.server;

/**
 * How the router scrapes its endpoints' {@code /metrics} for engine load (router.yaml {@code
 * load-signals}).
 *
 * @param intervalNanos time between two scrapes of one endpoint (0: scraping off)
 * @param timeoutNanos limit on one scrape, connect included (a late answer counts as a failure)
 * @param maxAgeNanos a signal older than this is stale: pickers and pool pressure ignore it
 */
public record LoadSignalSettings(long intervalNanos, long timeoutNanos, long maxAgeNanos) {

  /** Every 500 ms, 400 ms per scrape, stale after 2 s (four intervals). */
  public static final LoadSignalSettings DEFAULTS =
      new LoadSignalSettings(500_000_000L, 400_000_000L, 2_000_000_000L);

  /** No scraping: pickers use only the router's own counts. */
  public static final LoadSignalSettings OFF = new LoadSignalSettings(0, 400_000_000L,
      2_000_000_000L);

  public LoadSignalSettings {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("interval (" + intervalNanos + " ns) must be >= 0");
    }
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException("timeout (" + timeoutNanos + " ns) must be > 0");
    }
    if (maxAgeNanos <= 0 || maxAgeNanos < intervalNanos) {
      throw new IllegalArgumentException("max-age (" + maxAgeNanos
          + " ns) must be > 0 and at least the interval (" + intervalNanos + " ns)");
    }
  }

  /** True when endpoints are scraped. */
  public boolean enabled() {
    return intervalNanos > 0;
  }
}
