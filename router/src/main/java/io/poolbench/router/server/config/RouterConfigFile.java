package io.poolbench.router.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The router service's YAML file (kebab-case keys), as parsed; {@link RouterConfigs#resolve}
 * validates it into {@link io.poolbench.router.server.ProxySettings}. Absent values take the
 * defaults named on each key.
 *
 * @param listen {@code host:port} to listen on ({@code 127.0.0.1:8000})
 * @param ioThreads event-loop threads (0: available processors)
 * @param pools the pools, smallest {@code max-model-len} first
 * @param routing policy, thresholds, spillover, picker and categories
 * @param estimator the token-budget estimator's settings
 * @param timeouts connect, first byte and idle limits (durations such as {@code 500ms},
 *     {@code 2s}, {@code 1m})
 * @param limits request limits
 * @param health active probes and ejection backoff
 * @param endpointHeader add {@code x-poolbench-endpoint} to responses (true)
 * @param stateKey bearer key protecting {@code /router/state} (none)
 * @param loadSignals scraping of the endpoints' {@code /metrics} for engine load
 * @param retries times a request failing before any byte reached the client goes to another
 *     endpoint (1; 0 turns retries off)
 * @param tls trust settings for {@code https://} endpoints
 */
public record RouterConfigFile(
    @JsonProperty("listen") String listen,
    @JsonProperty("io-threads") Integer ioThreads,
    @JsonProperty("pools") List<Pool> pools,
    @JsonProperty("routing") Routing routing,
    @JsonProperty("estimator") Estimator estimator,
    @JsonProperty("timeouts") Timeouts timeouts,
    @JsonProperty("limits") Limits limits,
    @JsonProperty("health") Health health,
    @JsonProperty("endpoint-header") Boolean endpointHeader,
    @JsonProperty("state-key") String stateKey,
    @JsonProperty("load-signals") LoadSignals loadSignals,
    @JsonProperty("retries") Integer retries,
    @JsonProperty("tls") Tls tls) {

  /**
   * One pool.
   *
   * @param name pool name (metrics, headers)
   * @param maxModelLen the engines' {@code max_model_len} (default: read from the first
   *     endpoint's {@code /v1/models} at start)
   * @param capacity requests the pool serves at once, the pressure denominator (default:
   *     256 per endpoint, vLLM's usual {@code max_num_seqs})
   * @param endpoints engine base URLs, {@code http://host:port} or {@code https://host[:port]}
   *     (443 by default)
   */
  public record Pool(
      @JsonProperty("name") String name,
      @JsonProperty("max-model-len") Integer maxModelLen,
      @JsonProperty("capacity") Integer capacity,
      @JsonProperty("endpoints") List<String> endpoints) {}

  /**
   * Routing.
   *
   * @param policy pool policy ({@code token-budget} with two or more pools, else {@code single})
   * @param shortBudgetTokens B_short (default: the first pool's max-model-len)
   * @param kThresholds ascending thresholds for {@code k-pools}
   * @param spillover move requests to a larger pool under pressure (true)
   * @param spillPressure pressure at which to spill (0.85)
   * @param picker endpoint picker ({@code least-requests})
   * @param categorizer {@code header-or-sniff} (default), {@code header}, {@code sniff},
   *     {@code none}
   * @param categoryHeader request header naming the category ({@code x-poolbench-category})
   * @param seed seed of random choices (1)
   */
  public record Routing(
      @JsonProperty("policy") String policy,
      @JsonProperty("short-budget-tokens") Integer shortBudgetTokens,
      @JsonProperty("k-thresholds") List<Integer> kThresholds,
      @JsonProperty("spillover") Boolean spillover,
      @JsonProperty("spill-pressure") Double spillPressure,
      @JsonProperty("picker") String picker,
      @JsonProperty("categorizer") String categorizer,
      @JsonProperty("category-header") String categoryHeader,
      @JsonProperty("seed") Long seed) {}

  /** Estimator settings; see {@link io.poolbench.router.estimate.EstimatorSettings}. */
  public record Estimator(
      @JsonProperty("default-bytes-per-token") Double defaultBytesPerToken,
      @JsonProperty("beta") Double beta,
      @JsonProperty("gamma") Double gamma,
      @JsonProperty("floor-bytes-per-token") Double floorBytesPerToken,
      @JsonProperty("min-samples") Integer minSamples,
      @JsonProperty("max-categories") Integer maxCategories,
      @JsonProperty("fallback-to-default-bucket") Boolean fallbackToDefaultBucket,
      @JsonProperty("output-budget") String outputBudget,
      @JsonProperty("min-observed-tokens") Integer minObservedTokens) {}

  /** Upstream timeouts (connect 2s, first-byte 60s, idle 30s). */
  public record Timeouts(
      @JsonProperty("connect") String connect,
      @JsonProperty("first-byte") String firstByte,
      @JsonProperty("idle") String idle) {}

  /** Limits: {@code max-body-bytes} (8 MiB; suffixes k, m for KiB, MiB). */
  public record Limits(@JsonProperty("max-body-bytes") String maxBodyBytes) {}

  /** Health: probe interval (1s; 0 turns probes off), ejection backoff base (1s) and max (30s). */
  public record Health(
      @JsonProperty("probe-interval") String probeInterval,
      @JsonProperty("eject-base") String ejectBase,
      @JsonProperty("eject-max") String ejectMax) {}

  /**
   * Engine load signals: every {@code interval} (500ms; 0 turns scraping off) each endpoint's
   * {@code /metrics} is read within {@code timeout} (400ms); a signal older than {@code max-age}
   * (four intervals) is ignored.
   */
  public record LoadSignals(
      @JsonProperty("interval") String interval,
      @JsonProperty("timeout") String timeout,
      @JsonProperty("max-age") String maxAge) {}

  /**
   * TLS towards {@code https://} endpoints: {@code ca-file}, a PEM file of the certificates to
   * trust (default: the JDK's trust store); {@code insecure-skip-verify} (false) accepts any
   * certificate, for tests only.
   */
  public record Tls(
      @JsonProperty("ca-file") String caFile,
      @JsonProperty("insecure-skip-verify") Boolean insecureSkipVerify) {}
}
