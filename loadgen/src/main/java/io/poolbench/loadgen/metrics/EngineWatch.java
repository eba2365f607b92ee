package io.poolbench.loadgen.metrics;

import io.poolbench.reports.rundir.RunDirectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads every engine's {@code /metrics} when the measured window opens (the run start, or the
 * end of the warm-up), once per interval while the run goes on, and once at its end. The
 * increase of {@code vllm:num_preemptions_total} between the first and the last read is the
 * run's preemption count per pool; the interval reads of running and waiting requests and
 * KV-cache usage go to {@code engine-metrics.csv}. An engine that cannot be read at either end
 * makes its pool's count unknown (null), never zero.
 */
public final class EngineWatch implements AutoCloseable {

  /** vLLM's cumulative preemption counter (vllm-api.md §6). */
  public static final String PREEMPTIONS = "vllm:num_preemptions_total";
  /** Requests in the engine's running batch. */
  public static final String RUNNING = "vllm:num_requests_running";
  /** Requests waiting to be scheduled. */
  public static final String WAITING = "vllm:num_requests_waiting";
  /** KV-cache usage, 0 to 1 (vLLM 0.10+). */
  public static final String KV_USAGE = "vllm:kv_cache_usage_perc";
  /** KV-cache usage under its older name (vLLM up to 0.10). */
  public static final String GPU_CACHE_USAGE = "vllm:gpu_cache_usage_perc";
  /** The time series file in the run directory. */
  public static final String CSV = RunDirectory.ENGINE_METRICS_CSV;

  private static final Set<String> NAMES = Set.of(PREEMPTIONS, RUNNING, WAITING, KV_USAGE,
      GPU_CACHE_USAGE);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  private final List<EngineEndpoint> endpoints;
  private final List<String> poolNames;
  private final long warmupNanos;
  private final long intervalNanos;
  private long startNanos;
  private final PrintStream warnings;
  private final HttpClient http;
  private final BufferedWriter csv;
  private Thread sampler;
  private volatile boolean stopping;
  private volatile Map<String, Double>[] before;
  private Map<String, Double>[] after;
  private final String[] errors;

  private EngineWatch(List<EngineEndpoint> endpoints, List<String> poolNames, Path csvFile,
      long warmupNanos, long intervalNanos, PrintStream warnings) {
    this.endpoints = List.copyOf(endpoints);
    this.poolNames = List.copyOf(poolNames);
    this.warmupNanos = warmupNanos;
    this.intervalNanos = intervalNanos;
    this.warnings = warnings;
    this.errors = new String[endpoints.size()];
    for (EngineEndpoint e : endpoints) {
      if (!poolNames.contains(e.pool())) {
        throw new IllegalArgumentException("engine " + e.base() + " is in pool '" + e.pool()
            + "', not one of " + poolNames);
      }
    }
    this.http = HttpClient.newBuilder().connectTimeout(READ_TIMEOUT).build();
    try {
      this.csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8);
      csv.write("t_s,pool,endpoint,running,waiting,kv_cache_usage,preemptions_total\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + csvFile, e);
    }
    if (warmupNanos <= 0) {
      before = readAll();
    }
  }

  /**
   * Opens a watch on {@code endpoints}; with no warm-up the first read happens before this
   * returns, so call it before fixing the run's start time (a slow engine must not delay the
   * plan). Then {@link #startSampling} once the start is known.
   *
   * @param poolNames the run's pools, in order (every endpoint's pool must be one of them)
   * @param csvFile where the interval reads go
   * @param warmupNanos the measured window opens this long after the start
   * @param intervalNanos time between interval reads
   * @param warnings where unreadable engines are reported
   */
  public static EngineWatch open(List<EngineEndpoint> endpoints, List<String> poolNames,
      Path csvFile, long warmupNanos, long intervalNanos, PrintStream warnings) {
    return new EngineWatch(endpoints, poolNames, csvFile, warmupNanos,
        Math.max(intervalNanos, TimeUnit.MILLISECONDS.toNanos(100)), warnings);
  }

  /** Starts the interval reads (and the warm-up's end read) for a run starting at {@code startNanos}. */
  public void startSampling(long startNanos) {
    this.startNanos = startNanos;
    sampler = Thread.ofPlatform().daemon().name("poolbench-engine-metrics")
        .start(() -> sample(warmupNanos));
  }

  private void sample(long warmupNanos) {
    long next = startNanos + intervalNanos;
    long opens = startNanos + warmupNanos;
    while (!stopping) {
      long wake = before == null ? Math.min(next, opens) : next;
      long wait = wake - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      if (stopping) {
        return;
      }
      long readAt = System.nanoTime();
      Map<String, Double>[] values = readAll();
      if (before == null && readAt >= opens) {
        before = values;
      }
      if (readAt >= next) {
        // rows carry the time of the read; a slow engine skips ticks instead of piling them up
        writeRows((readAt - startNanos) / 1e9, values);
        while (next <= readAt) {
          next += intervalNanos;
        }
      }
    }
  }

  /**
   * Stops the interval reads, reads every engine once more and returns, per pool of the run,
   * the increase of the preemption counter over the measured window; null for a pool with no
   * engine watched, or one whose engines could not all be read at both ends.
   */
  public Long[] finish() {
    stopSampler();
    after = readAll();
    writeRows((System.nanoTime() - startNanos) / 1e9, after);
    close();
    Long[] perPool = new Long[poolNames.size()];
    boolean[] broken = new boolean[perPool.length];
    for (int i = 0; i < endpoints.size(); i++) {
      int pool = poolNames.indexOf(endpoints.get(i).pool());
      Long delta = delta(i);
      if (delta == null) {
        broken[pool] = true;
      } else {
        perPool[pool] = (perPool[pool] == null ? 0 : perPool[pool]) + delta;
      }
    }
    for (int p = 0; p < perPool.length; p++) {
      if (broken[p]) {
        perPool[p] = null;
      }
    }
    return perPool;
  }

  /**
   * The counter's increase at endpoint {@code i}, or null when unknown. A counter that went down
   * was reset (the engine restarted): its value after the reset is the increase, as
   * Prometheus's {@code increase()} counts it.
   */
  private Long delta(int i) {
    Double b = before == null || before[i] == null ? null : before[i].get(PREEMPTIONS);
    Double a = after == null || after[i] == null ? null : after[i].get(PREEMPTIONS);
    if (a == null || b == null) {
      return null;
    }
    return Math.round(a >= b ? a - b : a);
  }

  /** What loadgen.json records: per engine, the counter at both ends, or why it is unknown. */
  public List<Map<String, Object>> json() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pool", endpoints.get(i).pool());
      m.put("url", endpoints.get(i).metricsUri().toString());
      m.put("preemptions_before", before == null || before[i] == null ? null
          : before[i].get(PREEMPTIONS));
      m.put("preemptions_after", after == null || after[i] == null ? null
          : after[i].get(PREEMPTIONS));
      m.put("preemptions", delta(i));
      if (errors[i] != null) {
        m.put("error", errors[i]);
      }
      out.add(m);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Double>[] readAll() {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (EngineEndpoint e : endpoints) {
      calls.add(http.sendAsync(HttpRequest.newBuilder(e.metricsUri()).timeout(READ_TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.ofString()));
    }
    Map<String, Double>[] values = new Map[endpoints.size()];
    for (int i = 0; i < calls.size(); i++) {
      String error;
      try {
        HttpResponse<String> r = calls.get(i).get(READ_TIMEOUT.toMillis() * 2,
            TimeUnit.MILLISECONDS);
        if (r.statusCode() == 200) {
          values[i] = PromTextValues.sums(r.body(), NAMES);
          error = values[i].containsKey(PREEMPTIONS) ? null : "no " + PREEMPTIONS + " sample";
        } else {
          error = "HTTP " + r.statusCode();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        error = cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      }
      if (error != null && errors[i] == null) {
        errors[i] = error;
        warnings.println("poolbench: warning: could not read " + endpoints.get(i).metricsUri()
            + " (" + error + "); pool " + endpoints.get(i).pool()
            + " may report preemptions as unknown");
      }
    }
    return values;
  }

  private void writeRows(double tSeconds, Map<String, Double>[] values) {
    try {
      for (int i = 0; i < endpoints.size(); i++) {
        Map<String, Double> v = values[i];
        csv.write(String.format(Locale.US, "%.3f,%s,%s,%s,%s,%s,%s%n", tSeconds,
            endpoints.get(i).pool(), endpoints.get(i).base(), field(v, RUNNING),
            field(v, WAITING), v != null && v.containsKey(KV_USAGE) ? field(v, KV_USAGE)
                : field(v, GPU_CACHE_USAGE), field(v, PREEMPTIONS)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + CSV, e);
    }
  }

  private static String field(Map<String, Double> v, String name) {
    Double d = v == null ? null : v.get(name);
    if (d == null || d.isNaN()) {
      return "";
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
        : String.format(Locale.US, "%.4f", d);
  }

  private void stopSampler() {
    stopping = true;
    if (sampler == null) {
      return;
    }
    LockSupport.unpark(sampler);
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the interval reads and closes the time series; {@link #finish} does it too. */
  @Override
  public void close() {
    stopSampler();
    try {
      csv.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + CSV, e);
    }
    http.close();
  }
}
