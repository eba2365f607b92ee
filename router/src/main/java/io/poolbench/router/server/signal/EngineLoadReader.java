package io.poolbench.router.server.signal;

import io.poolbench.router.pick.LoadSignal;
import java.util.List;
import java.util.Set;

/**
 * Reads a vLLM engine's load from its {@code /metrics} page (see {@code
 * shared/reference/vllm-api.md} §6.1): {@code vllm:num_requests_running} and {@code
 * vllm:num_requests_waiting} are summed over every sample (one per {@code engine} / data-parallel
 * rank and served model; labelled or not), and the KV usage is the largest {@code
 * vllm:kv_cache_usage_perc} sample (V1 name), or, when the page has none, the largest {@code
 * vllm:gpu_cache_usage_perc} (the name up to about v0.10), clamped to 0–1. The largest, because
 * one full rank already makes the engine preempt.
 */
public final class EngineLoadReader {

  public static final String RUNNING = "vllm:num_requests_running";
  public static final String WAITING = "vllm:num_requests_waiting";
  public static final String KV_USAGE = "vllm:kv_cache_usage_perc";
  public static final String GPU_KV_USAGE = "vllm:gpu_cache_usage_perc";

  private static final Set<String> NAMES = Set.of(RUNNING, WAITING, KV_USAGE, GPU_KV_USAGE);

  private EngineLoadReader() {}

  /**
   * The load on {@code page} (a whole {@code /metrics} text), stamped {@code scrapedAtNanos}.
   *
   * @throws PrometheusFormatException when the page breaks the text format
   * @throws IllegalArgumentException when it lacks the running or waiting gauge, or a count is
   *     negative or not finite
   */
  public static LoadSignal read(String page, long scrapedAtNanos) {
    return read(PrometheusTextParser.parse(page, NAMES), scrapedAtNanos);
  }

  /** The load in {@code samples} (other names are ignored); see {@link #read(String, long)}. */
  public static LoadSignal read(List<MetricSample> samples, long scrapedAtNanos) {
    double running = 0;
    double waiting = 0;
    boolean sawRunning = false;
    boolean sawWaiting = false;
    double kv = -1;
    double gpuKv = -1;
    for (MetricSample s : samples) {
      double v = s.value();
      switch (s.name()) {
        case RUNNING -> {
          running += count(s);
          sawRunning = true;
        }
        case WAITING -> {
          waiting += count(s);
          sawWaiting = true;
        }
        case KV_USAGE -> kv = Double.isNaN(v) ? kv : Math.max(kv, v);
        case GPU_KV_USAGE -> gpuKv = Double.isNaN(v) ? gpuKv : Math.max(gpuKv, v);
        default -> {
          // not a load gauge
        }
      }
    }
    if (!sawRunning || !sawWaiting) {
      throw new IllegalArgumentException("no " + (sawRunning ? WAITING : RUNNING)
          + " sample (is this a vLLM /metrics page?)");
    }
    double usage = kv >= 0 ? kv : Math.max(gpuKv, 0);
    return new LoadSignal(clampInt(waiting), clampInt(running), Math.min(1, usage),
        scrapedAtNanos);
  }

  private static double count(MetricSample s) {
    double v = s.value();
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(s.name() + " is " + v + ", not a count");
    }
    return v;
  }

  private static int clampInt(double v) {
    return (int) Math.min(Integer.MAX_VALUE, Math.round(v));
  }
}
