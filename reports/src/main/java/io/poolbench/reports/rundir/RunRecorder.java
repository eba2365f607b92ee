package io.poolbench.reports.rundir;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Streams a run's outcomes into histograms, counters, latency.hlog and requests.csv.gz, and
 * writes summary.json at the end. Memory stays bounded whatever the number of requests: nothing
 * is kept per request. Single-threaded; the producer calls {@link #advanceTo} as its (virtual or
 * real) time moves so that interval histograms are cut every {@code intervalNanos}.
 */
public final class RunRecorder implements Closeable {
  private static final LatencyMetric[] METRICS = LatencyMetric.values();

  private final RunDirectory dir;
  private final List<String> poolNames;
  private final int[] poolGpus;
  private final int[] poolInstances;
  private final Summary.Slo slo;
  private final long sloTtftNanos;
  private final long sloTpotNanos;
  private final long intervalNanos;
  private final Scope overall = new Scope(true);
  private final Scope[] pools;
  private final Map<String, Scope> categories = new HashMap<>();
  /** Per pool (and one extra for unrouted requests), the current interval's histograms. */
  private final Histogram[][] poolInterval;
  private final Histogram[] interval = new Histogram[METRICS.length];
  private final PrintStream hlogOut;
  private final HistogramLogWriter hlog;
  private final RequestLogWriter requests;
  private long intervalStartNanos;
  private long engineDeaths;
  private final long[] poolDeaths;
  /** Null: preemptions come from the requests; else per pool from engine counters (null: unknown). */
  private Long[] enginePreemptions;
  private LatencySummary sendLag;
  private Summary.ToolUse toolUse;

  /**
   * Opens the recorder on {@code dir}.
   *
   * @param poolNames pool names, indexed as the record calls index them
   * @param poolGpus GPUs per pool
   * @param poolInstances instances per pool; a negative count means unknown (summary.json
   *     then has no {@code instances} for that pool)
   * @param slo the latency objective for goodput
   * @param intervalNanos length of one latency.hlog interval
   * @param startEpochMillis wall-clock start written into the log header
   */
  public RunRecorder(RunDirectory dir, List<String> poolNames, int[] poolGpus,
      int[] poolInstances, Summary.Slo slo, long intervalNanos, long startEpochMillis) {
    this.dir = dir;
    this.poolNames = List.copyOf(poolNames);
    this.poolGpus = poolGpus.clone();
    this.poolInstances = poolInstances.clone();
    this.slo = slo;
    this.sloTtftNanos = (long) (slo.ttftMs() * 1e6);
    this.sloTpotNanos = (long) (slo.tpotMs() * 1e6);
    this.intervalNanos = intervalNanos;
    this.pools = new Scope[poolNames.size()];
    for (int i = 0; i < pools.length; i++) {
      pools[i] = new Scope(true);
    }
    this.poolDeaths = new long[pools.length];
    this.poolInterval = new Histogram[pools.length + 1][METRICS.length];
    for (LatencyMetric m : METRICS) {
      interval[m.ordinal()] = m.newHistogram();
      for (Histogram[] h : poolInterval) {
        h[m.ordinal()] = m.newHistogram();
      }
    }
    try {
      hlogOut = new PrintStream(Files.newOutputStream(dir.file(RunDirectory.LATENCY_HLOG)), false,
          "US-ASCII");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + RunDirectory.LATENCY_HLOG, e);
    }
    hlog = new HistogramLogWriter(hlogOut);
    hlog.outputComment("poolbench latency log: values in microseconds; tags "
        + "ttft, tpot, itl, e2e, queue; interval timestamps in seconds from the run start");
    hlog.outputLogFormatVersion();
    hlog.outputStartTime(startEpochMillis);
    hlog.setBaseTime(0);
    hlog.outputLegend();
    requests = new RequestLogWriter(dir.file(RunDirectory.REQUESTS_CSV_GZ));
  }

  /** {@code count} inter-token gaps of {@code itlNanos} in pool {@code pool}. */
  public void recordItl(int pool, int count, long itlNanos) {
    poolInterval[pool][LatencyMetric.ITL.ordinal()]
        .recordValueWithCount(LatencyMetric.clampMicros(itlNanos), count);
  }

  /**
   * Adds a whole histogram of inter-token gaps (microseconds) to pool {@code pool} and the overall
   * figures, outside any interval: how a merge carries shard runs' ITL over.
   */
  public void addItl(int pool, Histogram micros) {
    pools[pool].hist[LatencyMetric.ITL.ordinal()].add(micros);
    overall.hist[LatencyMetric.ITL.ordinal()].add(micros);
  }

  /** An engine of pool {@code pool} died (OOM or fault). */
  public void recordEngineDeath(int pool) {
    engineDeaths++;
    poolDeaths[pool]++;
  }

  /**
   * A live run's own send lag and resource use, written at the top level of summary.json
   * ({@code send_lag_ms}, {@code loadgen}); call before {@link #finish}.
   */
  public void toolOverhead(LatencySummary sendLagMs, Summary.ToolUse use) {
    this.sendLag = sendLagMs;
    this.toolUse = use;
  }

  /**
   * Says preemptions are unknown (a client that could not read the engines' counters):
   * summary.json then has null preemptions at every level instead of the requests' zeros.
   */
  public void preemptionsUnknown() {
    enginePreemptions = new Long[pools.length];
  }

  /**
   * Takes preemptions from the engines' own counters instead of the requests: {@code perPool}
   * holds, per pool index, the counter's increase over the run, or null where no engine of that
   * pool was read. The top level is their sum (null when any pool is null); categories are null,
   * because an engine counter does not say which requests were preempted.
   */
  public void enginePreemptions(Long[] perPool) {
    if (perPool.length != pools.length) {
      throw new IllegalArgumentException("preemptions for " + perPool.length + " pools, but the "
          + "run has " + pools.length);
    }
    enginePreemptions = perPool.clone();
  }

  /** A request was routed to a pool that could not hold it. */
  public void recordMisroute(int pool) {
    overall.misroutes++;
    pools[pool].misroutes++;
  }

  /** A request was routed away from its preferred pool because of load. */
  public void recordSpillover(int pool) {
    overall.spillovers++;
    pools[pool].spillovers++;
  }

  /** Records a request whose cached tokens are unknown (see the overload that takes them). */
  public void recordRequest(long id, long arrivalNanos, int pool, int instance, String category,
      int promptTokens, int outputTokens, int maxTokens, OutcomeKind outcome, int httpStatus,
      long queueNanos, long ttftNanos, long e2eNanos, int generatedTokens, int preemptions) {
    recordRequest(id, arrivalNanos, pool, instance, category, promptTokens, outputTokens,
        maxTokens, outcome, httpStatus, queueNanos, ttftNanos, e2eNanos, generatedTokens,
        preemptions, -1);
  }

  /**
   * Records how one arrival ended and writes its row. Negative times mean "did not happen".
   *
   * @param pool pool index, or -1 when the request was never routed
   * @param cachedTokens prompt tokens the engine found in its prefix cache, or -1 when unknown
   */
  public void recordRequest(long id, long arrivalNanos, int pool, int instance, String category,
      int promptTokens, int outputTokens, int maxTokens, OutcomeKind outcome, int httpStatus,
      long queueNanos, long ttftNanos, long e2eNanos, int generatedTokens, int preemptions,
      int cachedTokens) {
    long tpotNanos = outcome == OutcomeKind.OK && ttftNanos >= 0 && generatedTokens > 1
        ? (e2eNanos - ttftNanos) / (generatedTokens - 1) : -1;
    boolean good = outcome == OutcomeKind.OK && ttftNanos <= sloTtftNanos
        && tpotNanos <= sloTpotNanos;
    overall.count(outcome, generatedTokens, preemptions, good);
    overall.cache(promptTokens, cachedTokens);
    if (pool >= 0) {
      pools[pool].count(outcome, generatedTokens, preemptions, good);
      pools[pool].cache(promptTokens, cachedTokens);
    }
    record(poolInterval[pool >= 0 ? pool : pools.length], outcome, queueNanos, ttftNanos,
        tpotNanos, e2eNanos);
    String key = category == null || category.isEmpty() ? "default" : category;
    Scope cat = categories.get(key);
    if (cat == null) {
      cat = new Scope(false);
      categories.put(key, cat);
    }
    cat.count(outcome, generatedTokens, preemptions, good);
    cat.cache(promptTokens, cachedTokens);
    record(cat.hist, outcome, queueNanos, ttftNanos, tpotNanos, e2eNanos);
    requests.write(id, arrivalNanos, pool >= 0 ? poolNames.get(pool) : "", instance, category,
        promptTokens, outputTokens, maxTokens, outcome, httpStatus, queueNanos, ttftNanos,
        e2eNanos, generatedTokens, preemptions, cachedTokens);
  }

  private static void record(Histogram[] hist, OutcomeKind outcome, long queueNanos,
      long ttftNanos, long tpotNanos, long e2eNanos) {
    if (queueNanos >= 0) {
      hist[LatencyMetric.QUEUE.ordinal()].recordValue(LatencyMetric.clampMicros(queueNanos));
    }
    if (ttftNanos >= 0) {
      hist[LatencyMetric.TTFT.ordinal()].recordValue(LatencyMetric.clampMicros(ttftNanos));
    }
    if (tpotNanos >= 0) {
      hist[LatencyMetric.TPOT.ordinal()].recordValue(LatencyMetric.clampMicros(tpotNanos));
    }
    if (outcome == OutcomeKind.OK) {
      hist[LatencyMetric.E2E.ordinal()].recordValue(LatencyMetric.clampMicros(e2eNanos));
    }
  }

  /** Moves time forward, writing every interval that ended by {@code nowNanos}. */
  public void advanceTo(long nowNanos) {
    while (nowNanos >= intervalStartNanos + intervalNanos) {
      flushInterval(intervalStartNanos + intervalNanos);
    }
  }

  private void flushInterval(long endNanos) {
    double start = intervalStartNanos / 1e9;
    double end = endNanos / 1e9;
    for (LatencyMetric m : METRICS) {
      Histogram h = interval[m.ordinal()];
      for (int p = 0; p < poolInterval.length; p++) {
        Histogram ph = poolInterval[p][m.ordinal()];
        if (ph.getTotalCount() > 0) {
          h.add(ph);
          if (p < pools.length) {
            pools[p].hist[m.ordinal()].add(ph);
          }
          ph.reset();
        }
      }
      if (h.getTotalCount() > 0) {
        overall.hist[m.ordinal()].add(h);
        h.setTag(m.tag());
        h.setStartTimeStamp((long) (start * 1000));
        h.setEndTimeStamp((long) (end * 1000));
        hlog.outputIntervalHistogram(start, end, h, 1000.0);
        h.reset();
      }
    }
    intervalStartNanos = endNanos;
  }

  /**
   * Writes the last interval and summary.json and closes the files.
   *
   * @param durationNanos the run's length (first arrival to last outcome) for all rates
   */
  public Summary finish(long durationNanos) {
    flushInterval(Math.max(durationNanos, intervalStartNanos));
    close();
    double seconds = Math.max(durationNanos, 1) / 1e9;
    int totalGpus = 0;
    Map<String, Summary> poolSummaries = new LinkedHashMap<>();
    for (int i = 0; i < pools.length; i++) {
      totalGpus += poolGpus[i];
      poolSummaries.put(poolNames.get(i), pools[i].summary(seconds, poolGpus[i],
          poolInstances[i] < 0 ? null : poolInstances[i], poolDeaths[i], null, null,
          preemptionsOf(i)));
    }
    Map<String, Summary> categorySummaries = new TreeMap<>();
    long[] unknown = enginePreemptions == null ? null : new long[0];
    categories.forEach((k, v) -> categorySummaries.put(k, v.summary(seconds, null, null, null,
        null, null, unknown)));
    Summary summary = overall.summary(seconds, totalGpus, null, engineDeaths, poolSummaries,
        categorySummaries, preemptionsOf(-1));
    if (sendLag != null || toolUse != null) {
      summary = summary.withTool(sendLag, toolUse);
    }
    dir.writeSummary(summary);
    writePoolItl();
    return summary;
  }

  /**
   * The engine-counted preemptions of pool {@code pool} (-1: all pools) for
   * {@link Scope#summary}: null to use the requests' own counts, an empty array when unknown,
   * else one element, the engine count.
   */
  private long[] preemptionsOf(int pool) {
    if (enginePreemptions == null) {
      return null;
    }
    if (pool >= 0) {
      return enginePreemptions[pool] == null ? new long[0] : new long[] {enginePreemptions[pool]};
    }
    long sum = 0;
    for (Long p : enginePreemptions) {
      if (p == null) {
        return new long[0];
      }
      sum += p;
    }
    return new long[] {sum};
  }

  private void writePoolItl() {
    try (PrintStream out = new PrintStream(Files.newOutputStream(dir.file(RunDirectory.POOL_ITL_HLOG)),
        false, "US-ASCII")) {
      HistogramLogWriter w = new HistogramLogWriter(out);
      w.outputComment("poolbench: each pool's whole-run ITL in microseconds; tag poolN is the Nth "
          + "pool of summary.json");
      w.outputLogFormatVersion();
      w.outputLegend();
      for (int p = 0; p < pools.length; p++) {
        Histogram h = pools[p].hist[LatencyMetric.ITL.ordinal()].copy();
        h.setTag("pool" + p);
        w.outputIntervalHistogram(0, 0, h, 1000.0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + RunDirectory.POOL_ITL_HLOG, e);
    }
  }

  @Override
  public void close() {
    hlogOut.close();
    requests.close();
  }

  /** Counters and histograms of one scope (overall, a pool, a category). */
  private final class Scope {
    final long[] counts = new long[OutcomeKind.values().length];
    final Histogram[] hist = new Histogram[METRICS.length];
    long outputTokens;
    long good;
    long preemptions;
    long misroutes;
    long spillovers;
    /** Requests with a known cached-token count, their prompt tokens and cached tokens. */
    long cacheRequests;
    long cachePromptTokens;
    long cachedTokens;

    Scope(boolean withItl) {
      for (LatencyMetric m : METRICS) {
        if (withItl || m != LatencyMetric.ITL) {
          hist[m.ordinal()] = m.newHistogram();
        }
      }
    }

    void count(OutcomeKind outcome, int generated, int preempted, boolean isGood) {
      counts[outcome.ordinal()]++;
      preemptions += preempted;
      if (outcome == OutcomeKind.OK) {
        outputTokens += generated;
      }
      if (isGood) {
        good++;
      }
    }

    void cache(int promptTokens, int cached) {
      if (cached >= 0) {
        cacheRequests++;
        cachePromptTokens += promptTokens;
        cachedTokens += cached;
      }
    }

    /** {@code engineCount}: as {@link #preemptionsOf}. */
    Summary summary(double seconds, Integer gpus, Integer instances, Long deaths,
        Map<String, Summary> poolMap, Map<String, Summary> categoryMap, long[] engineCount) {
      Long preempted = engineCount == null ? Long.valueOf(preemptions)
          : engineCount.length == 0 ? null : Long.valueOf(engineCount[0]);
      RequestCounts rc = RequestCounts.of(counts);
      double goodput = good / seconds;
      double tokensPerS = outputTokens / seconds;
      Histogram itl = hist[LatencyMetric.ITL.ordinal()];
      return new Summary(rc,
          LatencySummary.of(hist[LatencyMetric.TTFT.ordinal()]),
          LatencySummary.of(hist[LatencyMetric.TPOT.ordinal()]),
          itl == null ? null : LatencySummary.of(itl),
          LatencySummary.of(hist[LatencyMetric.E2E.ordinal()]),
          LatencySummary.of(hist[LatencyMetric.QUEUE.ordinal()]),
          seconds, rc.total() / seconds, gpus, instances, goodput,
          gpus == null || gpus == 0 ? null : goodput / gpus,
          tokensPerS,
          gpus == null || gpus == 0 ? null : tokensPerS / gpus,
          gpus == null || gpus == 0 ? null : rc.ok() / seconds / gpus,
          preempted,
          preempted == null ? null : rc.total() == 0 ? 0.0 : preempted * 1000.0 / rc.total(),
          deaths,
          deaths == null ? null : deaths / (seconds / 3600.0),
          misroutes, spillovers, slo, poolMap, categoryMap,
          cacheRequests == 0 ? null : new Summary.PrefixCache(cacheRequests, cachePromptTokens,
              cachedTokens,
              cachePromptTokens == 0 ? 0 : (double) cachedTokens / cachePromptTokens),
          null, null);
    }
  }
}
