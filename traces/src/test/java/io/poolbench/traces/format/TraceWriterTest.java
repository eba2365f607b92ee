package io.poolbench.traces.format;

import static io.poolbench.traces.format.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the writers write, the readers read back exactly (seeded random traces). */
class TraceWriterTest {
  @TempDir Path dir;

  /** A random trace starting at 0; Azure keeps 100-ns ticks, so arrivals are multiples of 100. */
  private static List<TraceRequest> randomTrace(long seed, boolean azureOnly) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TraceRequest> requests = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < 500; i++) {
      if (i > 0) {
        long gap = random.nextLong(3_000_000_000_000L / 500); // spans ~ 50 min, days roll rarely
        t += azureOnly ? gap / 100 * 100 : gap;
      }
      int prompt = random.nextInt(200_000);
      int output = random.nextInt(5_000);
      if (azureOnly) {
        requests.add(TraceRequest.of(t, prompt, output));
        continue;
      }
      long[] hashes = random.nextBoolean() ? null
          : random.longs(random.nextInt(5), Long.MIN_VALUE, Long.MAX_VALUE).toArray();
      String category = random.nextBoolean() ? null : List.of("prose", "code", "c\"j\\k\n").get(
          random.nextInt(3));
      int max = random.nextBoolean() ? TraceRequest.NO_MAX_TOKENS : random.nextInt(1, 10_000);
      requests.add(new TraceRequest(t, prompt, output, category, max, hashes,
          random.nextInt(10) == 0, random.nextInt(3), null, 0));
    }
    return requests;
  }

  private static TraceSource listSource(List<TraceRequest> requests) {
    return new TraceSource() {
      @Override
      public String name() {
        return "list";
      }

      @Override
      public Stream<TraceRequest> open() {
        return requests.stream();
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"out.csv", "out.csv.gz", "out.jsonl", "out.jsonl.gz"})
  void write_thenRead_isExact(String name) {
    boolean azure = name.contains(".csv");
    for (long seed = 1; seed <= 3; seed++) {
      List<TraceRequest> written = randomTrace(seed, azure);
      Path path = dir.resolve(name);
      assertThat(TraceWriter.writeAll(listSource(written), path)).isEqualTo(written.size());
      List<TraceRequest> back = read(Fixtures.file(path));
      assertThat(back).hasSize(written.size());
      for (int i = 0; i < written.size(); i++) {
        TraceRequest w = written.get(i);
        TraceRequest r = back.get(i);
        // source location differs by design: the copy names the file it came from
        assertThat(r.withArrivalNanos(r.arrivalNanos()))
            .usingRecursiveComparison().ignoringFields("sourceName", "sourceLine")
            .isEqualTo(w);
        assertThat(r.sourceLine()).isEqualTo(azure ? i + 2 : i + 1);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"out.txt", "out.parquet", "out.gz"})
  void open_unknownExtension_namesTheChoices(String name) {
    Path path = dir.resolve(name);
    assertThatThrownBy(() -> TraceWriter.open(path))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Cannot tell the output format of '" + path + "': expected a name ending in "
            + ".csv (Azure), .jsonl (poolbench JSONL), .csv.gz or .jsonl.gz");
    assertThat(Files.exists(path)).isFalse();
  }
}
