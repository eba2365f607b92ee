package io.poolbench.reports.rundir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * summary.json: the whole run's figures, and the same figures per pool (with {@code instances})
 * and per category (without GPU figures, and without ITL, which is recorded per pool only).
 *
 * @param gpus GPUs of the fleet (or pool); null for a category
 * @param instances instances of a pool; null at the top level and for a category
 * @param goodputRps requests per second that completed within the SLO (TTFT and TPOT)
 * @param engineDeathsPerHour engine deaths (OOM and injected faults) per hour of run time
 * @param misroutes requests sent to a pool whose context could not hold them
 * @param spillovers requests sent to their non-preferred pool because of load
 * @param preemptions preemptions the engines made: per request for the simulator, the delta of
 *     the engines' {@code vllm:num_preemptions_total} over the run for a live run whose engines
 *     were scraped; null (written as JSON null) when unknown, e.g. a live run without scraping
 * @param preemptionsPer1000 preemptions per 1,000 requests; null when preemptions is null
 * @param prefixCache prompt tokens served from the engines' prefix caches, over the requests
 *     whose cached tokens are known (every scheduled request of a simulation; in a live run, the
 *     responses that carried {@code usage.prompt_tokens_details}); null when none is known
 * @param sendLagMs a live run's own send lag (actual hand-over to the HTTP client minus the
 *     planned send time, slot waits excluded), top level only; null for simulations and per pool
 * @param loadgen what the load generator's JVM spent on the run (CPU, GC); top level of a live
 *     run only, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(
    @JsonProperty("requests") RequestCounts requests,
    @JsonProperty("ttft_ms") LatencySummary ttftMs,
    @JsonProperty("tpot_ms") LatencySummary tpotMs,
    @JsonProperty("itl_ms") LatencySummary itlMs,
    @JsonProperty("e2e_ms") LatencySummary e2eMs,
    @JsonProperty("queue_ms") LatencySummary queueMs,
    @JsonProperty("duration_s") double durationS,
    @JsonProperty("request_rate") double requestRate,
    @JsonProperty("gpus") Integer gpus,
    @JsonProperty("instances") Integer instances,
    @JsonProperty("goodput_rps") double goodputRps,
    @JsonProperty("goodput_per_gpu") Double goodputPerGpu,
    @JsonProperty("output_tokens_per_s") double outputTokensPerS,
    @JsonProperty("output_tokens_per_s_per_gpu") Double outputTokensPerSPerGpu,
    @JsonProperty("requests_per_s_per_gpu") Double requestsPerSPerGpu,
    @JsonProperty("preemptions") @JsonInclude(JsonInclude.Include.ALWAYS) Long preemptions,
    @JsonProperty("preemptions_per_1000") @JsonInclude(JsonInclude.Include.ALWAYS)
        Double preemptionsPer1000,
    @JsonProperty("engine_deaths") Long engineDeaths,
    @JsonProperty("engine_deaths_per_hour") Double engineDeathsPerHour,
    @JsonProperty("misroutes") long misroutes,
    @JsonProperty("spillovers") long spillovers,
    @JsonProperty("slo") Slo slo,
    @JsonProperty("pools") Map<String, Summary> pools,
    @JsonProperty("categories") Map<String, Summary> categories,
    @JsonProperty("prefix_cache") PrefixCache prefixCache,
    @JsonProperty("send_lag_ms") LatencySummary sendLagMs,
    @JsonProperty("loadgen") ToolUse loadgen) {

  /**
   * What the load generator's JVM used over a live run (from the planned start to the last
   * outcome).
   *
   * @param cpuS CPU time of the whole JVM process (user + system), in seconds; when the mock
   *     fleet and router run in the same JVM (compare, demo) their work is included
   * @param cpuMsPerRequest cpuS per request sent, in milliseconds
   * @param gcPauseMs total collection time the JVM's garbage collectors reported
   * @param gcCount collections over the run
   * @param threads live threads of the JVM at the end
   * @param heapUsedMaxMb the most heap in use seen at a status interval or the end, in MiB
   *     (garbage included)
   * @param heapLiveMaxMb the most heap left in use after a collection, in MiB (the live set;
   *     0 when no collection ran)
   * @param inFlightMax the most requests in flight at once
   * @param sharedWithServers true when the mock fleet or router ran in the same JVM
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ToolUse(
      @JsonProperty("cpu_s") double cpuS,
      @JsonProperty("cpu_ms_per_request") Double cpuMsPerRequest,
      @JsonProperty("gc_pause_ms") double gcPauseMs,
      @JsonProperty("gc_count") long gcCount,
      @JsonProperty("threads") int threads,
      @JsonProperty("heap_used_max_mb") double heapUsedMaxMb,
      @JsonProperty("heap_live_max_mb") double heapLiveMaxMb,
      @JsonProperty("in_flight_max") long inFlightMax,
      @JsonProperty("shared_with_servers") boolean sharedWithServers) {}

  /**
   * Automatic prefix caching over a scope.
   *
   * @param requests requests whose cached-token count is known
   * @param promptTokens their prompt tokens
   * @param cachedTokens of those, tokens found in the prefix cache (no prefill computed)
   * @param hitRate cachedTokens / promptTokens
   */
  public record PrefixCache(
      @JsonProperty("requests") long requests,
      @JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("cached_tokens") long cachedTokens,
      @JsonProperty("hit_rate") double hitRate) {}

  /** The latency objective goodput is counted against. */
  public record Slo(
      @JsonProperty("ttft_p99_ms") double ttftMs,
      @JsonProperty("tpot_p99_ms") double tpotMs) {}

  /** This summary with a live run's own send lag and resource use. */
  public Summary withTool(LatencySummary sendLag, ToolUse use) {
    return new Summary(requests, ttftMs, tpotMs, itlMs, e2eMs, queueMs, durationS, requestRate,
        gpus, instances, goodputRps, goodputPerGpu, outputTokensPerS, outputTokensPerSPerGpu,
        requestsPerSPerGpu, preemptions, preemptionsPer1000, engineDeaths, engineDeathsPerHour,
        misroutes, spillovers, slo, pools, categories, prefixCache, sendLag, use);
  }

  /** The latency summary of {@code metric}. */
  public LatencySummary latency(LatencyMetric metric) {
    return switch (metric) {
      case TTFT -> ttftMs;
      case TPOT -> tpotMs;
      case ITL -> itlMs;
      case E2E -> e2eMs;
      case QUEUE -> queueMs;
    };
  }
}
