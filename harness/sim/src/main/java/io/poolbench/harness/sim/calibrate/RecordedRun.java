package io.poolbench.harness.sim.calibrate;

import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RequestLogReader;
import io.poolbench.reports.rundir.RequestRow;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.traces.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code ok} requests of a run directory (requests.csv.gz), in arrival order: what a
 * calibration replays and compares against. Rows with any other outcome, or an ok row without a
 * first token, are counted but left out.
 *
 * @param path the run directory
 * @param rows all rows of requests.csv.gz
 * @param requests the ok rows with a TTFT, an E2E and at least one generated token
 */
public record RecordedRun(Path path, long rows, List<RecordedRequest> requests) {

  public RecordedRun {
    requests = List.copyOf(requests);
  }

  /**
   * Reads {@code dir}.
   *
   * @throws BadInputException when {@code dir} is not a run directory or has no usable ok row
   */
  public static RecordedRun load(Path dir) {
    Path log = dir.resolve(RunDirectory.REQUESTS_CSV_GZ);
    if (!Files.isDirectory(dir) || !Files.isRegularFile(log)) {
      throw new BadInputException("Not a run directory: " + dir + " (expected a directory with "
          + RunDirectory.REQUESTS_CSV_GZ + ", as loadgen and simulate write)");
    }
    List<RecordedRequest> ok = new ArrayList<>();
    long rows = 0;
    try (Stream<RequestRow> in = RequestLogReader.read(log)) {
      for (RequestRow r : (Iterable<RequestRow>) in::iterator) {
        rows++;
        if (r.outcome() == OutcomeKind.OK && r.ttftMs() > 0 && r.e2eMs() >= r.ttftMs()
            && r.generatedTokens() >= 1 && r.arrivalMs() >= 0) {
          ok.add(new RecordedRequest(r.id(), Math.round(r.arrivalMs() * 1e6), r.pool(),
              r.instance(), r.promptTokens(), r.generatedTokens(), r.maxTokens(),
              Math.round(r.ttftMs() * 1e6), Math.round(r.e2eMs() * 1e6)));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new BadInputException(log + ": " + e.getMessage());
    }
    if (ok.isEmpty()) {
      throw new BadInputException(log + ": no ok request with a first token among " + rows
          + " rows; calibration needs completed requests");
    }
    ok.sort(Comparator.comparingLong(RecordedRequest::arrivalNanos)
        .thenComparingLong(RecordedRequest::id));
    return new RecordedRun(dir, rows, ok);
  }
}
