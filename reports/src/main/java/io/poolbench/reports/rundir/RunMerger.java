package io.poolbench.reports.rundir;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Merges the run directories of shards that replayed disjoint slices of one trace at the same time
 * ({@code loadgen --shard i/n}) into one run directory, exactly: every request row is recorded again
 * (so counts, goodput and every latency histogram, overall, per pool and per category, are those of
 * all rows together), each pool's inter-token latencies are added from the shards' whole-run
 * histograms, misroutes, spillovers and engine deaths are summed, and latency.hlog's intervals are
 * summed interval by interval.
 */
public final class RunMerger {

  private RunMerger() {}

  /**
   * Merges {@code shards} into {@code out} and returns the merged summary.
   *
   * @throws IllegalArgumentException when a directory is not a run directory or the shards'
   *     pools or SLOs differ
   */
  public static Summary merge(List<Path> shards, Path out) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge: give at least one run directory");
    }
    List<RunDirectory> dirs = new ArrayList<>();
    List<Summary> summaries = new ArrayList<>();
    List<RunInfo> infos = new ArrayList<>();
    for (Path shard : shards) {
      if (!Files.isRegularFile(shard.resolve(RunDirectory.SUMMARY_JSON))
          || !Files.isRegularFile(shard.resolve(RunDirectory.REQUESTS_CSV_GZ))) {
        throw new IllegalArgumentException("Not a finished run directory (needs summary.json and "
            + "requests.csv.gz): " + shard);
      }
      RunDirectory d = RunDirectory.open(shard);
      dirs.add(d);
      summaries.add(d.readSummary());
      infos.add(Files.exists(shard.resolve(RunDirectory.RUN_JSON)) ? d.readRunInfo() : null);
    }
    Summary first = summaries.get(0);
    List<String> poolNames = new ArrayList<>(first.pools() == null ? List.of() : first.pools().keySet());
    for (int i = 1; i < summaries.size(); i++) {
      Summary s = summaries.get(i);
      List<String> names = new ArrayList<>(s.pools() == null ? List.of() : s.pools().keySet());
      if (!names.equals(poolNames)) {
        throw new IllegalArgumentException("Shards disagree on pools: " + shards.get(0) + " has "
            + poolNames + ", " + shards.get(i) + " has " + names);
      }
      if (!java.util.Objects.equals(s.slo(), first.slo())) {
        throw new IllegalArgumentException("Shards disagree on the SLO: " + shards.get(0) + " has "
            + first.slo() + ", " + shards.get(i) + " has " + s.slo());
      }
    }
    int[] gpus = poolNames.stream().mapToInt(p -> orZero(first.pools().get(p).gpus())).toArray();
    int[] instances = poolNames.stream().mapToInt(p -> first.pools().get(p).instances() == null ? -1
        : first.pools().get(p).instances()).toArray();
    long intervalNanos = intervalNanos(dirs.get(0));
    RunDirectory merged = RunDirectory.create(out);
    RunRecorder recorder = new RunRecorder(merged, poolNames, gpus, instances, first.slo(),
        intervalNanos, System.currentTimeMillis());
    replayRows(dirs, poolNames, recorder);
    double durationS = 0;
    for (int i = 0; i < dirs.size(); i++) {
      addPoolItl(dirs.get(i), poolNames.size(), recorder);
      Summary s = summaries.get(i);
      durationS = Math.max(durationS, s.durationS());
      for (int p = 0; p < poolNames.size(); p++) {
        Summary ps = s.pools().get(poolNames.get(p));
        int pool = p;
        repeat(ps.misroutes(), () -> recorder.recordMisroute(pool));
        repeat(ps.spillovers(), () -> recorder.recordSpillover(pool));
        repeat(ps.engineDeaths() == null ? 0 : ps.engineDeaths(), () -> recorder.recordEngineDeath(pool));
      }
    }
    mergePreemptions(summaries, infos, poolNames, recorder);
    mergeToolOverhead(summaries, recorder);
    Summary summary = recorder.finish((long) (durationS * 1e9));
    mergeIntervals(dirs, merged, intervalNanos);
    writeRunInfo(merged, infos, shards, summary);
    mergeClientFiles(dirs, merged, shards);
    return summary;
  }

  /**
   * Shards with unknown preemptions make the merge's unknown. Load-generator shards count
   * preemptions from the engines' counters, and shards drive the same engines over overlapping
   * windows, so each shard's count already covers the others' requests: the merge takes the
   * largest per pool instead of the sum. Simulated shards keep the per-request sum of the replay.
   */
  private static void mergePreemptions(List<Summary> summaries, List<RunInfo> infos,
      List<String> poolNames, RunRecorder recorder) {
    boolean engineCounted = false;
    for (int i = 0; i < summaries.size(); i++) {
      if (summaries.get(i).preemptions() == null) {
        recorder.preemptionsUnknown();
        return;
      }
      engineCounted |= infos.get(i) != null && "loadgen".equals(infos.get(i).mode());
    }
    if (!engineCounted) {
      return;
    }
    Long[] perPool = new Long[poolNames.size()];
    for (int p = 0; p < perPool.length; p++) {
      long max = 0;
      boolean known = true;
      for (Summary s : summaries) {
        Long v = s.pools().get(poolNames.get(p)).preemptions();
        known &= v != null;
        max = v == null ? max : Math.max(max, v);
      }
      perPool[p] = known ? max : null;
    }
    recorder.enginePreemptions(perPool);
  }

  private static void repeat(long times, Runnable action) {
    for (long i = 0; i < times; i++) {
      action.run();
    }
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }

  /** One shard's rows, in its own order (the order outcomes were recorded). */
  private static final class Cursor {
    final Iterator<RequestRow> rows;
    RequestRow row;

    Cursor(Iterator<RequestRow> rows) {
      this.rows = rows;
      row = rows.hasNext() ? rows.next() : null;
    }

    double endMs() {
      return row.e2eMs() >= 0 ? row.arrivalMs() + row.e2eMs() : row.arrivalMs();
    }
  }

  /** Records every shard's rows again, interleaved by the time they ended. */
  private static void replayRows(List<RunDirectory> dirs, List<String> poolNames, RunRecorder recorder) {
    List<Stream<RequestRow>> streams = new ArrayList<>();
    try {
      PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> Double.compare(a.endMs(), b.endMs()));
      for (RunDirectory d : dirs) {
        Stream<RequestRow> s = RequestLogReader.read(d.file(RunDirectory.REQUESTS_CSV_GZ));
        streams.add(s);
        Cursor c = new Cursor(s.iterator());
        if (c.row != null) {
          queue.add(c);
        }
      }
      while (!queue.isEmpty()) {
        Cursor c = queue.poll();
        RequestRow r = c.row;
        long end = (long) (c.endMs() * 1e6);
        recorder.advanceTo(end);
        recorder.recordRequest(r.id(), nanos(r.arrivalMs()), r.pool().isEmpty() ? -1 : poolNames.indexOf(r.pool()),
            r.instance(), r.category().isEmpty() ? null : r.category(), r.promptTokens(), r.outputTokens(),
            r.maxTokens(), r.outcome(), r.httpStatus(), nanos(r.queueMs()), nanos(r.ttftMs()),
            nanos(r.e2eMs()), r.generatedTokens(), r.preemptions(), r.cachedTokens());
        c.row = c.rows.hasNext() ? c.rows.next() : null;
        if (c.row != null) {
          queue.add(c);
        }
      }
    } finally {
      streams.forEach(Stream::close);
    }
  }

  private static long nanos(double ms) {
    return ms < 0 ? -1 : Math.round(ms * 1000) * 1000;
  }

  private static void addPoolItl(RunDirectory d, int pools, RunRecorder recorder) {
    Path file = d.file(RunDirectory.POOL_ITL_HLOG);
    if (!Files.exists(file)) {
      return;
    }
    for (EncodableHistogram h : readAll(file)) {
      String tag = h.getTag();
      if (tag != null && tag.startsWith("pool") && h instanceof Histogram micros) {
        int p = Integer.parseInt(tag.substring(4));
        if (p < pools) {
          recorder.addItl(p, micros);
        }
      }
    }
  }

  private static List<EncodableHistogram> readAll(Path file) {
    List<EncodableHistogram> all = new ArrayList<>();
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      HistogramLogReader reader = new HistogramLogReader(in);
      for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
        all.add(h);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
    return all;
  }

  /** The interval length of a run's latency.hlog (1 s when it has no interval). */
  private static long intervalNanos(RunDirectory d) {
    Path file = d.file(RunDirectory.LATENCY_HLOG);
    if (Files.exists(file)) {
      for (EncodableHistogram h : readAll(file)) {
        long ms = h.getEndTimeStamp() - h.getStartTimeStamp();
        if (ms > 0) {
          return ms * 1_000_000L;
        }
      }
    }
    return 1_000_000_000L;
  }

  /** Sums the shards' latency.hlog intervals that start in the same interval, tag by tag. */
  private static void mergeIntervals(List<RunDirectory> dirs, RunDirectory merged, long intervalNanos) {
    long intervalMs = intervalNanos / 1_000_000L;
    TreeMap<Long, Map<String, Histogram>> byInterval = new TreeMap<>();
    for (RunDirectory d : dirs) {
      Path file = d.file(RunDirectory.LATENCY_HLOG);
      if (!Files.exists(file)) {
        continue;
      }
      for (EncodableHistogram e : readAll(file)) {
        if (!(e instanceof Histogram h) || h.getTag() == null) {
          continue;
        }
        long index = Math.round((double) h.getStartTimeStamp() / intervalMs);
        Map<String, Histogram> tags = byInterval.computeIfAbsent(index, k -> new LinkedHashMap<>());
        Histogram sum = tags.get(h.getTag());
        if (sum == null) {
          tags.put(h.getTag(), h.copy());
        } else {
          sum.add(h);
        }
      }
    }
    try (PrintStream out = new PrintStream(Files.newOutputStream(merged.file(RunDirectory.LATENCY_HLOG)),
        false, "US-ASCII")) {
      HistogramLogWriter w = new HistogramLogWriter(out);
      w.outputComment("poolbench latency log: values in microseconds; tags ttft, tpot, itl, e2e, "
          + "queue; interval timestamps in seconds from the run start; merged from " + dirs.size()
          + " shards");
      w.outputLogFormatVersion();
      w.outputStartTime(System.currentTimeMillis());
      w.setBaseTime(0);
      w.outputLegend();
      for (Map.Entry<Long, Map<String, Histogram>> e : byInterval.entrySet()) {
        double start = e.getKey() * intervalMs / 1000.0;
        double end = start + intervalMs / 1000.0;
        for (Histogram h : e.getValue().values()) {
          h.setStartTimeStamp((long) (start * 1000));
          h.setEndTimeStamp((long) (end * 1000));
          w.outputIntervalHistogram(start, end, h, 1000.0);
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("Could not write the merged latency.hlog", ex);
    }
  }

  /**
   * The shards' own send lag and CPU/GC use. Only their percentiles are kept, so each merged
   * percentile is the largest shard's: a quantile of the union never exceeds the largest of the
   * shards' quantiles, so these are upper bounds (exact for one shard). Counts, CPU and GC add up;
   * the in-flight peak is the sum of the shards' peaks (an upper bound too).
   */
  static void mergeToolOverhead(List<Summary> summaries, RunRecorder recorder) {
    LatencySummary lag = null;
    Summary.ToolUse use = null;
    long requests = 0;
    for (Summary s : summaries) {
      LatencySummary l = s.sendLagMs();
      if (l != null && l.count() > 0) {
        lag = lag == null ? l : new LatencySummary(lag.count() + l.count(),
            (lag.mean() * lag.count() + l.mean() * l.count()) / (lag.count() + l.count()),
            Math.max(lag.p50(), l.p50()), Math.max(lag.p90(), l.p90()),
            Math.max(lag.p99(), l.p99()), Math.max(lag.p999(), l.p999()),
            Math.max(lag.max(), l.max()));
      }
      Summary.ToolUse u = s.loadgen();
      if (u != null) {
        requests += s.requests().total();
        use = use == null ? u : new Summary.ToolUse(use.cpuS() + u.cpuS(), null,
            use.gcPauseMs() + u.gcPauseMs(), use.gcCount() + u.gcCount(),
            Math.max(use.threads(), u.threads()), Math.max(use.heapUsedMaxMb(), u.heapUsedMaxMb()),
            Math.max(use.heapLiveMaxMb(), u.heapLiveMaxMb()), use.inFlightMax() + u.inFlightMax(),
            use.sharedWithServers() || u.sharedWithServers());
      }
    }
    if (use != null) {
      use = new Summary.ToolUse(use.cpuS(), requests == 0 ? null : 1000 * use.cpuS() / requests,
          use.gcPauseMs(), use.gcCount(), use.threads(), use.heapUsedMaxMb(), use.heapLiveMaxMb(),
          use.inFlightMax(), use.sharedWithServers());
    }
    if (lag != null || use != null) {
      recorder.toolOverhead(lag, use);
    }
  }

  private static void writeRunInfo(RunDirectory merged, List<RunInfo> infos, List<Path> shards, Summary summary) {
    RunInfo base = infos.get(0);
    if (base == null) {
      return;
    }
    List<String> digests = new ArrayList<>();
    for (RunInfo info : infos) {
      digests.add(info == null || info.trace() == null ? "?" : info.trace().digest());
    }
    Map<String, Object> config = new LinkedHashMap<>(base.config() == null ? Map.of() : base.config());
    config.put("merged_from", shards.stream().map(Path::toString).toList());
    config.put("shard", "merged " + shards.size());
    RunInfo.Trace trace = new RunInfo.Trace(base.trace() == null ? "?" : base.trace().name(),
        "merged(" + String.join(",", digests) + ")", summary.requests().total());
    merged.writeRunInfo(new RunInfo(base.mode(), base.version(), base.commit(), base.startedAt(),
        base.seed(), trace, base.fleet(), base.gpus(), config, base.environment()));
  }

  /** Keeps each shard's loadgen.json side by side, with the row and send counts summed. */
  private static void mergeClientFiles(List<RunDirectory> dirs, RunDirectory merged, List<Path> shards) {
    List<Object> each = new ArrayList<>();
    long rows = 0;
    long sent = 0;
    for (RunDirectory d : dirs) {
      Path file = d.file("loadgen.json");
      if (!Files.exists(file)) {
        return;
      }
      try {
        Map<?, ?> m = RunDirectory.mapper().readValue(file.toFile(), Map.class);
        each.add(m);
        rows += ((Number) m.get("rows")).longValue();
        sent += ((Number) m.get("sent")).longValue();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read " + file, e);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("sent", sent);
    m.put("shards", each);
    m.put("merged_from", shards.stream().map(Path::toString).toList());
    try {
      RunDirectory.mapper().writeValue(merged.file("loadgen.json").toFile(), m);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write loadgen.json", e);
    }
  }
}
