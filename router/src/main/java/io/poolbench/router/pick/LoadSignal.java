package io.poolbench.router.pick;

/**
 * Load an engine reported on its {@code /metrics} page, with the time it was scraped.
 *
 * @param waiting {@code vllm:num_requests_waiting}
 * @param running {@code vllm:num_requests_running}
 * @param kvUsage {@code vllm:kv_cache_usage_perc}, 0–1
 * @param scrapedAtNanos when it was scraped, on the caller's clock ({@link System#nanoTime()} in
 *     the service, virtual nanoseconds in the simulator)
 */
public record LoadSignal(int waiting, int running, double kvUsage, long scrapedAtNanos) {

  public LoadSignal {
    if (waiting < 0 || running < 0) {
      throw new IllegalArgumentException(
          "waiting (" + waiting + ") and running (" + running + ") must be >= 0");
    }
    if (!(kvUsage >= 0 && kvUsage <= 1)) {
      throw new IllegalArgumentException("kvUsage (" + kvUsage + ") must be in [0, 1]");
    }
  }

  /** How old the signal is at {@code nowNanos}. */
  public long ageNanos(long nowNanos) {
    return nowNanos - scrapedAtNanos;
  }
}
