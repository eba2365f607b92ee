package io.poolbench.reports.model;

import io.poolbench.reports.rundir.RoutingLog;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a run directory: run.json and summary.json are required, latency.hlog, requests.csv.gz
 * and routing.json are optional. requests.csv.gz is streamed once, so memory does not grow with
 * the number of requests. Every failure is a {@link RunLoadException} with a one-line message.
 */
public final class RunLoader {
  /** At most this many time bins per run; longer runs get wider bins. */
  static final int MAX_BINS = 600;
  private static final double DEFAULT_BIN_S = 10;

  private RunLoader() {}

  /** Loads {@code dir}. */
  public static RunData load(Path dir) {
    if (!Files.exists(dir)) {
      throw new RunLoadException("Could not find run directory: " + dir);
    }
    if (!Files.isDirectory(dir)) {
      throw new RunLoadException("Not a run directory (not a directory): " + dir);
    }
    if (!Files.isRegularFile(dir.resolve(RunDirectory.RUN_JSON))
        || !Files.isRegularFile(dir.resolve(RunDirectory.SUMMARY_JSON))) {
      throw new RunLoadException("Not a run directory (needs " + RunDirectory.RUN_JSON + " and "
          + RunDirectory.SUMMARY_JSON + "): " + dir);
    }
    RunDirectory rd = RunDirectory.open(dir);
    RunInfo info = json(dir, RunDirectory.RUN_JSON, () -> rd.readRunInfo());
    Summary summary = json(dir, RunDirectory.SUMMARY_JSON, () -> rd.readSummary());
    if (summary.requests() == null) {
      throw new RunLoadException(dir.resolve(RunDirectory.SUMMARY_JSON)
          + ": has no 'requests' object; not a poolbench summary");
    }
    Path hlog = dir.resolve(RunDirectory.LATENCY_HLOG);
    LatencyLog latency = Files.isRegularFile(hlog) && size(hlog) > 0 ? LatencyLog.read(hlog)
        : null;
    Path csv = dir.resolve(RunDirectory.REQUESTS_CSV_GZ);
    RequestStats requests = Files.isRegularFile(csv) && size(csv) > 0
        ? RequestStats.read(csv, binSeconds(new RunFacts(info), summary, latency),
            new RunFacts(info).poolNames())
        : null;
    RoutingLog routing = json(dir, RoutingLog.ROUTING_JSON, () -> RoutingLog.read(dir));
    EngineLoad engines = EngineLoad.read(dir, binSeconds(new RunFacts(info), summary, latency));
    return new RunData(dir, info, summary, latency, requests, routing, engines);
  }

  /** The interval length of latency.hlog, widened so that a run has at most MAX_BINS bins. */
  static double binSeconds(RunFacts facts, Summary summary) {
    return binSeconds(facts, summary, null);
  }

  /**
   * The interval length of latency.hlog: run.json's {@code hlog_interval_s}, else (run
   * directories whose run.json does not say it) the log's own most common interval length, so
   * live and simulated runs of one report share their bins; widened so that a run has at most
   * MAX_BINS bins.
   */
  static double binSeconds(RunFacts facts, Summary summary, LatencyLog log) {
    Double interval = facts.intervalSeconds();
    if ((interval == null || interval <= 0) && log != null) {
      interval = typicalInterval(log);
    }
    double bin = interval != null && interval > 0 ? interval : DEFAULT_BIN_S;
    double duration = summary.durationS();
    while (duration / bin > MAX_BINS) {
      bin *= 2;
    }
    return bin;
  }

  /** The most common TTFT interval length of {@code log}, to the millisecond, or null. */
  static Double typicalInterval(LatencyLog log) {
    java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
    for (LatencyLog.Interval i : log.intervals(io.poolbench.reports.rundir.LatencyMetric.TTFT)) {
      if (i.lengthS() > 0) {
        counts.merge(Math.round(i.lengthS() * 1000), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .max(java.util.Map.Entry.<Long, Integer>comparingByValue()
            .thenComparing(java.util.Map.Entry.comparingByKey()))
        .map(e -> e.getKey() / 1000.0).orElse(null);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static <T> T json(Path dir, String name, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String msg = root.getMessage() == null ? root.toString() : root.getMessage().lines()
          .findFirst().orElse("");
      throw new RunLoadException(dir.resolve(name) + ": not valid " + name + " (" + msg + ")", e);
    }
  }
}
