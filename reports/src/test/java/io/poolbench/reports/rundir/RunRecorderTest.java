package io.poolbench.reports.rundir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {

  @TempDir Path tmp;

  @Test
  void recordedRun_roundTripsThroughTheRunDirectory() throws FileNotFoundException {
    RunDirectory dir = RunDirectory.create(tmp.resolve("run"));
    RunRecorder rec = new RunRecorder(dir, List.of("short", "long"), new int[] {4, 8},
        new int[] {2, 4}, new Summary.Slo(2000, 80), 1_000_000_000L, 0);
    long ms = 1_000_000L;
    for (int i = 0; i < 100; i++) {
      long arrival = i * 50 * ms;
      rec.advanceTo(arrival);
      rec.recordItl(i % 2, 9, 20 * ms);
      rec.recordRequest(i, arrival, i % 2, 0, i % 3 == 0 ? "code" : "prose", 100, 10, -1,
          OutcomeKind.OK, 200, 5 * ms, 100 * ms, 280 * ms, 10, i % 10 == 0 ? 1 : 0);
    }
    rec.recordRequest(100, 5_000 * ms, 0, 1, "prose", 9000, 10, 10, OutcomeKind.REJECTED_CONTEXT,
        400, -1, -1, 0, 0, 0);
    rec.recordRequest(101, 5_000 * ms, -1, -1, null, 10, 10, -1, OutcomeKind.NOT_SENT, 0, -1, -1,
        -1, 0, 0);
    rec.recordMisroute(0);
    Summary s = rec.finish(10_000 * ms);

    Summary read = dir.readSummary();
    assertThat(read).isEqualTo(s);
    assertThat(read.requests().total()).isEqualTo(102);
    assertThat(read.requests().ok()).isEqualTo(100);
    assertThat(read.requests().rejectedContext()).isEqualTo(1);
    assertThat(read.requests().notSent()).isEqualTo(1);
    assertThat(read.ttftMs().p50()).isCloseTo(100, org.assertj.core.data.Offset.offset(0.1));
    assertThat(read.tpotMs().p99()).isCloseTo(20, org.assertj.core.data.Offset.offset(0.05));
    assertThat(read.itlMs().count()).isEqualTo(900);
    assertThat(read.gpus()).isEqualTo(12);
    assertThat(read.goodputRps()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(read.preemptionsPer1000()).isCloseTo(10 * 1000.0 / 102,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(read.pools()).containsOnlyKeys("short", "long");
    assertThat(read.pools().get("short").instances()).isEqualTo(2);
    assertThat(read.pools().get("short").misroutes()).isEqualTo(1);
    assertThat(read.categories()).containsOnlyKeys("code", "prose", "default");

    try (Stream<RequestRow> rows = RequestLogReader.read(dir.file(RunDirectory.REQUESTS_CSV_GZ))) {
      List<RequestRow> all = rows.toList();
      assertThat(all).hasSize(102);
      assertThat(all.get(1)).isEqualTo(new RequestRow(1, 50.0, "long", 0, "prose", 100, 10, -1,
          OutcomeKind.OK, 200, 5.0, 100.0, 280.0, 10, 0));
      assertThat(all.get(101).pool()).isEmpty();
      assertThat(all.get(101).ttftMs()).isEqualTo(-1);
    }

    HistogramLogReader reader =
        new HistogramLogReader(dir.file(RunDirectory.LATENCY_HLOG).toFile());
    Set<String> tags = new HashSet<>();
    long ttftCount = 0;
    for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null;
        h = reader.nextIntervalHistogram()) {
      tags.add(h.getTag());
      if ("ttft".equals(h.getTag())) {
        ttftCount += ((org.HdrHistogram.Histogram) h).getTotalCount();
      }
    }
    assertThat(tags).containsExactlyInAnyOrder("ttft", "tpot", "itl", "e2e", "queue");
    assertThat(ttftCount).isEqualTo(100);
  }
}
