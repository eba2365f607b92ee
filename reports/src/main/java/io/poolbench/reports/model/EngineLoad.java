package io.poolbench.reports.model;

import io.poolbench.reports.rundir.RunDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * engine-metrics.csv read per pool and time bin: requests running and waiting (summed over the
 * pool's engines, averaged over the reads in the bin) and KV-cache usage (mean over engines and
 * reads). Rows that do not parse are skipped; missing values leave NaN.
 *
 * @param pools per pool name, in order of first appearance, its series
 */
public record EngineLoad(Map<String, Series> pools) {

  /**
   * One pool's series; arrays are parallel.
   *
   * @param tSeconds bin midpoints, seconds from the run start
   * @param running requests running in the pool's engines
   * @param waiting requests waiting in them
   * @param kvUsage KV-cache usage, 0 to 1
   */
  public record Series(double[] tSeconds, double[] running, double[] waiting, double[] kvUsage) {}

  /** Reads {@code dir}'s engine-metrics.csv, or returns null when it has none. */
  public static EngineLoad read(Path dir, double binSeconds) {
    Path file = dir.resolve(RunDirectory.ENGINE_METRICS_CSV);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Map<String, TreeMap<Long, Bin>> bins = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine(); // header
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",", -1);
        if (f.length < 7) {
          continue;
        }
        double t;
        try {
          t = Double.parseDouble(f[0]);
        } catch (NumberFormatException e) {
          continue;
        }
        Bin b = bins.computeIfAbsent(f[1], k -> new TreeMap<>())
            .computeIfAbsent((long) Math.floor(t / binSeconds), k -> new Bin());
        b.add(t, number(f[3]), number(f[4]), number(f[5]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
    Map<String, Series> pools = new LinkedHashMap<>();
    bins.forEach((pool, series) -> {
      int n = series.size();
      double[] t = new double[n];
      double[] running = new double[n];
      double[] waiting = new double[n];
      double[] kv = new double[n];
      int i = 0;
      for (Map.Entry<Long, Bin> e : series.entrySet()) {
        Bin b = e.getValue();
        t[i] = (e.getKey() + 0.5) * binSeconds;
        running[i] = b.runningReads == 0 ? Double.NaN : b.running / b.reads.size();
        waiting[i] = b.waitingReads == 0 ? Double.NaN : b.waiting / b.reads.size();
        kv[i] = b.kvReads == 0 ? Double.NaN : b.kv / b.kvReads;
        i++;
      }
      pools.put(pool, new Series(t, running, waiting, kv));
    });
    return new EngineLoad(pools);
  }

  private static double number(String s) {
    if (s.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Sums of one pool's reads in one bin; {@code reads} holds the distinct read times. */
  private static final class Bin {
    final List<Double> reads = new ArrayList<>();
    double running;
    double waiting;
    double kv;
    int runningReads;
    int waitingReads;
    int kvReads;

    void add(double t, double r, double w, double k) {
      if (reads.isEmpty() || reads.get(reads.size() - 1) != t) {
        reads.add(t);
      }
      if (!Double.isNaN(r)) {
        running += r;
        runningReads++;
      }
      if (!Double.isNaN(w)) {
        waiting += w;
        waitingReads++;
      }
      if (!Double.isNaN(k)) {
        kv += k;
        kvReads++;
      }
    }
  }
}
