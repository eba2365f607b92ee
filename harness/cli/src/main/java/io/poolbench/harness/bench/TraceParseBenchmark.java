package io.poolbench.harness.bench;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.format.FileTraceSource;
import io.poolbench.traces.format.ReadOptions;
import io.poolbench.traces.format.TraceWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Parse rate of the Azure CSV reader in rows per second: each invocation streams a generated
 * 1,000,000-row Azure 2023-format file (plain or gzip) through {@link FileTraceSource}, the same
 * path {@code poolbench trace stats} takes. Run:
 * {@code poolbench microbench TraceParse -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TraceParseBenchmark {
  private static final int ROWS = 1_000_000;

  /** File name suffix: plain CSV or gzip-compressed. */
  @Param({"csv", "csv.gz"})
  public String kind;

  private Path dir;
  private TraceSource source;

  @Setup(Level.Trial)
  public void writeTrace() throws IOException {
    dir = Files.createTempDirectory("poolbench-parse-bench");
    Path file = dir.resolve("trace." + kind);
    TraceWriter.writeAll(syntheticTrace(), file);
    source = new FileTraceSource(file, ReadOptions.defaults());
  }

  @TearDown(Level.Trial)
  public void deleteTrace() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** Reads every row; the result (a checksum) keeps the JIT from dropping the work. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long parseAzureCsv() {
    long checksum = 0;
    try (Stream<TraceRequest> requests = source.open()) {
      Iterator<TraceRequest> it = requests.iterator();
      while (it.hasNext()) {
        TraceRequest r = it.next();
        checksum += r.arrivalNanos() + r.promptTokens() + r.outputTokens();
      }
    }
    return checksum;
  }

  /** Azure-like rows: gaps averaging 0.2 s, prompts up to 8K, outputs up to 1K. */
  private static TraceSource syntheticTrace() {
    return new TraceSource() {
      @Override
      public String name() {
        return "synthetic";
      }

      @Override
      public Stream<TraceRequest> open() {
        SplittableRandom random = new SplittableRandom(1);
        long[] clock = {0};
        return Stream.generate(() -> {
          clock[0] += random.nextLong(400_000_000L) / 100 * 100;
          return TraceRequest.of(clock[0], 1 + random.nextInt(8_000), 1 + random.nextInt(1_000));
        }).limit(ROWS);
      }
    };
  }
}
