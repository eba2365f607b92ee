package io.poolbench.loadgen;

import io.poolbench.loadgen.metrics.EngineEndpoint;
import io.poolbench.reports.rundir.Summary;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a load run needs besides its trace.
 *
 * @param targets base URLs of the endpoints or router (requests go round-robin across them)
 * @param pools pool names to attribute responses to by their {@code x-poolbench-pool} header;
 *     empty: one pool per target, named after it
 * @param gpus GPUs per pool name (missing pools count 0 GPUs)
 * @param api which endpoint to call
 * @param model the {@code model} field of every request
 * @param stream whether to ask for streamed (SSE) responses
 * @param ignoreEos whether to send {@code ignore_eos: true} so outputs have the planned length
 * @param maxConcurrency most requests in flight at once, or 0 for no cap (pure open loop)
 * @param connectTimeout time allowed to open a connection
 * @param responseTimeout longest silence allowed before the response head or between chunks
 * @param slo the latency objective goodput counts against
 * @param apiKey sent as {@code Authorization: Bearer}, or null
 * @param ioThreads HTTP client I/O threads
 * @param hlogInterval interval of latency.hlog
 * @param statusInterval interval of the status line on stderr (zero: none)
 * @param shardIndex this run's shard, 0-based
 * @param shardCount shards in all (1: the whole trace)
 * @param maxConnections connections the client may open in all; more requests in flight wait
 *     inside the client for one, and that wait counts in their latency (measured from the planned
 *     time), where opening a connection per request would collapse once the client falls behind
 * @param warmup rows due before this offset are sent but left out of the run's figures (their
 *     outcomes are counted apart in loadgen.json); zero for none
 * @param scrapeMetrics engines whose {@code /metrics} are read at both ends of the measured
 *     window (preemptions) and every hlog interval (engine-metrics.csv); empty: none, and
 *     summary.json says preemptions are unknown
 * @param headers extra request headers sent with every request, as vllm bench serve's
 *     {@code --header}
 * @param numWarmups copies of the first row sent before the run and left out of everything, as
 *     vllm bench serve's {@code --num-warmups}
 * @param readyCheckTimeout how long to retry the first row until each target answers it (zero:
 *     no check), as vllm bench serve's {@code --ready-check-timeout-sec}
 * @param perRequestItls whether to write every request's inter-token gaps to
 *     {@link #ITLS_CSV_GZ} (for vllm bench serve's per-request {@code itls})
 * @param actualAnswers whether a row that continues an earlier one (see {@link Conversations})
 *     carries the earlier row's actual answer in its prompt, rather than synthesized text
 */
public record LoadgenSettings(
    List<URI> targets,
    List<String> pools,
    Map<String, Integer> gpus,
    Api api,
    String model,
    boolean stream,
    boolean ignoreEos,
    int maxConcurrency,
    Duration connectTimeout,
    Duration responseTimeout,
    Summary.Slo slo,
    String apiKey,
    int ioThreads,
    Duration hlogInterval,
    Duration statusInterval,
    int shardIndex,
    int shardCount,
    int maxConnections,
    Duration warmup,
    List<EngineEndpoint> scrapeMetrics,
    Map<String, String> headers,
    int numWarmups,
    Duration readyCheckTimeout,
    boolean perRequestItls,
    boolean actualAnswers) {

  /** The per-request inter-token gaps file of a run directory (see {@link #perRequestItls}). */
  public static final String ITLS_CSV_GZ = "itls.csv.gz";

  /** Settings that read no engine metrics. */
  public LoadgenSettings(List<URI> targets, List<String> pools, Map<String, Integer> gpus,
      Api api, String model, boolean stream, boolean ignoreEos, int maxConcurrency,
      Duration connectTimeout, Duration responseTimeout, Summary.Slo slo, String apiKey,
      int ioThreads, Duration hlogInterval, Duration statusInterval, int shardIndex,
      int shardCount, int maxConnections, Duration warmup) {
    this(targets, pools, gpus, api, model, stream, ignoreEos, maxConcurrency, connectTimeout,
        responseTimeout, slo, apiKey, ioThreads, hlogInterval, statusInterval, shardIndex,
        shardCount, maxConnections, warmup, List.of());
  }

  /** Settings without vllm bench serve's extras (headers, warm-ups, ready check). */
  public LoadgenSettings(List<URI> targets, List<String> pools, Map<String, Integer> gpus,
      Api api, String model, boolean stream, boolean ignoreEos, int maxConcurrency,
      Duration connectTimeout, Duration responseTimeout, Summary.Slo slo, String apiKey,
      int ioThreads, Duration hlogInterval, Duration statusInterval, int shardIndex,
      int shardCount, int maxConnections, Duration warmup, List<EngineEndpoint> scrapeMetrics) {
    this(targets, pools, gpus, api, model, stream, ignoreEos, maxConcurrency, connectTimeout,
        responseTimeout, slo, apiKey, ioThreads, hlogInterval, statusInterval, shardIndex,
        shardCount, maxConnections, warmup, scrapeMetrics, Map.of(), 0, Duration.ZERO, false, true);
  }

  public LoadgenSettings {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one target is needed");
    }
    if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
      throw new IllegalArgumentException("shard " + shardIndex + "/" + shardCount
          + " must satisfy 0 <= i < n");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max-connections (" + maxConnections + ") must be >= 1");
    }
    if (numWarmups < 0) {
      throw new IllegalArgumentException("num-warmups (" + numWarmups + ") must be >= 0");
    }
    if (readyCheckTimeout.isNegative()) {
      throw new IllegalArgumentException("ready-check timeout must not be negative");
    }
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("max-concurrency (" + maxConcurrency + ") must be >= 0");
    }
    targets = List.copyOf(targets);
    pools = List.copyOf(pools);
    gpus = Map.copyOf(gpus);
    scrapeMetrics = List.copyOf(scrapeMetrics);
    headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    for (EngineEndpoint e : scrapeMetrics) {
      if (!poolNames(targets, pools).contains(e.pool())) {
        throw new IllegalArgumentException("metrics endpoint " + e.base() + " is in pool '"
            + e.pool() + "', not one of " + poolNames(targets, pools));
      }
    }
  }

  /** The same settings reading {@code endpoints}' metrics. */
  public LoadgenSettings withScrapeMetrics(List<EngineEndpoint> endpoints) {
    return new LoadgenSettings(targets, pools, gpus, api, model, stream, ignoreEos,
        maxConcurrency, connectTimeout, responseTimeout, slo, apiKey, ioThreads, hlogInterval,
        statusInterval, shardIndex, shardCount, maxConnections, warmup, endpoints, headers,
        numWarmups, readyCheckTimeout, perRequestItls, actualAnswers);
  }

  /**
   * The same settings with vllm bench serve's extras: request headers, warm-up requests, a
   * ready check, and per-request inter-token gaps.
   */
  public LoadgenSettings withVllmBench(Map<String, String> extraHeaders, int warmups,
      Duration readyCheck, boolean itls) {
    return new LoadgenSettings(targets, pools, gpus, api, model, stream, ignoreEos,
        maxConcurrency, connectTimeout, responseTimeout, slo, apiKey, ioThreads, hlogInterval,
        statusInterval, shardIndex, shardCount, maxConnections, warmup, scrapeMetrics,
        extraHeaders, warmups, readyCheck, itls, actualAnswers);
  }

  /** The same settings, with conversations' later turns carrying actual answers or not. */
  public LoadgenSettings withActualAnswers(boolean actual) {
    return new LoadgenSettings(targets, pools, gpus, api, model, stream, ignoreEos,
        maxConcurrency, connectTimeout, responseTimeout, slo, apiKey, ioThreads, hlogInterval,
        statusInterval, shardIndex, shardCount, maxConnections, warmup, scrapeMetrics, headers,
        numWarmups, readyCheckTimeout, perRequestItls, actual);
  }

  /** A label for a target URL: {@code host:port}. */
  public static String label(URI target) {
    int port = target.getPort() >= 0 ? target.getPort()
        : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    return target.getHost() + ":" + port;
  }

  /** The pools a run attributes to, in order. */
  public List<String> poolNames() {
    return poolNames(targets, pools);
  }

  private static List<String> poolNames(List<URI> targets, List<String> pools) {
    if (!pools.isEmpty()) {
      return pools;
    }
    return targets.stream().map(LoadgenSettings::label).distinct().toList();
  }
}
