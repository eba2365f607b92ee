package io.poolbench.reports.rundir;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of a run directory, and how to write and read its JSON files. */
public final class RunDirectory {
  /** Effective configuration, seed, versions, trace digest, mode, fleet. */
  public static final String RUN_JSON = "run.json";
  /** Counts, rates and latency percentiles, overall, per pool and per category. */
  public static final String SUMMARY_JSON = "summary.json";
  /** HdrHistogram interval log, one tag per {@link LatencyMetric}. */
  public static final String LATENCY_HLOG = "latency.hlog";
  /**
   * Each pool's whole-run inter-token-latency histogram (tags {@code pool0}, {@code pool1}, ... in
   * the order of summary.json's pools), so that shard runs can be merged exactly.
   */
  public static final String POOL_ITL_HLOG = "itl-by-pool.hlog";
  /** One CSV row per arrival with its outcome, gzip-compressed. */
  public static final String REQUESTS_CSV_GZ = "requests.csv.gz";
  /**
   * Optional, live runs that read the engines' {@code /metrics}: one row per engine and interval,
   * header {@code t_s,pool,endpoint,running,waiting,kv_cache_usage,preemptions_total}.
   */
  public static final String ENGINE_METRICS_CSV = "engine-metrics.csv";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /**
   * Deletes {@code dir} and everything under it (a scratch run directory, say); nothing when it
   * does not exist.
   *
   * @throws UncheckedIOException when something under it could not be deleted
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + dir, e);
    }
  }

  /** Creates (if needed) and opens a run directory for writing. */
  public static RunDirectory create(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create run directory " + dir, e);
    }
    return new RunDirectory(dir);
  }

  /** Opens an existing run directory for reading. */
  public static RunDirectory open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("Not a run directory: " + dir);
    }
    return new RunDirectory(dir);
  }

  public Path path() {
    return dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public void writeRunInfo(RunInfo info) {
    write(RUN_JSON, info);
  }

  public void writeSummary(Summary summary) {
    write(SUMMARY_JSON, summary);
  }

  public RunInfo readRunInfo() {
    return read(RUN_JSON, RunInfo.class);
  }

  public Summary readSummary() {
    return read(SUMMARY_JSON, Summary.class);
  }

  /** The shared JSON mapper (indented output; lenient reading of newer files). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private void write(String name, Object value) {
    try {
      MAPPER.writeValue(dir.resolve(name).toFile(), value);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + dir.resolve(name), e);
    }
  }

  private <T> T read(String name, Class<T> type) {
    try {
      return MAPPER.readValue(dir.resolve(name).toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + dir.resolve(name), e);
    }
  }
}
