package io.poolbench.reports.rundir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnginePreemptionsTest {

  @TempDir Path tmp;

  /** A two-pool run of 10 ok requests, each claiming one preemption, finished after {@code how}. */
  private Summary run(String name, Consumer<RunRecorder> how) {
    RunDirectory dir = RunDirectory.create(tmp.resolve(name));
    RunRecorder rec = new RunRecorder(dir, List.of("short", "long"), new int[] {1, 1},
        new int[] {1, 1}, new Summary.Slo(2000, 80), 1_000_000_000L, 0);
    for (int i = 0; i < 10; i++) {
      rec.recordRequest(i, i * 1_000_000L, i % 2, 0, "prose", 100, 10, -1, OutcomeKind.OK, 200,
          1_000_000L, 5_000_000L, 50_000_000L, 10, 1);
    }
    how.accept(rec);
    rec.finish(1_000_000_000L);
    return dir.readSummary();
  }

  private JsonNode json(String name) throws Exception {
    return RunDirectory.mapper().readTree(tmp.resolve(name).resolve(RunDirectory.SUMMARY_JSON)
        .toFile());
  }

  @Test
  void requestCounts_byDefault_areSummed() {
    Summary s = run("requests", r -> { });
    assertThat(s.preemptions()).isEqualTo(10);
    assertThat(s.preemptionsPer1000()).isEqualTo(1000.0);
    assertThat(s.categories().get("prose").preemptions()).isEqualTo(10);
  }

  @Test
  void preemptionsUnknown_writesJsonNullEverywhere() throws Exception {
    Summary s = run("unknown", RunRecorder::preemptionsUnknown);
    assertThat(s.preemptions()).isNull();
    assertThat(s.preemptionsPer1000()).isNull();
    assertThat(s.pools().get("short").preemptions()).isNull();
    assertThat(s.categories().get("prose").preemptions()).isNull();
    JsonNode j = json("unknown");
    assertThat(j.has("preemptions")).isTrue();
    assertThat(j.get("preemptions").isNull()).isTrue();
    assertThat(j.get("preemptions_per_1000").isNull()).isTrue();
    assertThat(j.path("pools").path("long").get("preemptions").isNull()).isTrue();
  }

  @Test
  void enginePreemptions_replaceRequestCountsPerPoolAndSum() {
    Summary s = run("engines", r -> r.enginePreemptions(new Long[] {3L, 4L}));
    assertThat(s.preemptions()).isEqualTo(7);
    assertThat(s.preemptionsPer1000()).isEqualTo(700.0);
    assertThat(s.pools().get("short").preemptions()).isEqualTo(3);
    assertThat(s.pools().get("long").preemptions()).isEqualTo(4);
    // an engine counter does not say which category's requests were preempted
    assertThat(s.categories().get("prose").preemptions()).isNull();
  }

  @Test
  void enginePreemptions_onePoolUnknown_makesTheTotalUnknown() {
    Summary s = run("partial", r -> r.enginePreemptions(new Long[] {3L, null}));
    assertThat(s.pools().get("short").preemptions()).isEqualTo(3);
    assertThat(s.pools().get("long").preemptions()).isNull();
    assertThat(s.preemptions()).isNull();
  }

  @Test
  void enginePreemptions_wrongPoolCount_isRejected() {
    RunRecorder rec = new RunRecorder(RunDirectory.create(tmp.resolve("bad")), List.of("only"),
        new int[] {1}, new int[] {1}, new Summary.Slo(2000, 80), 1_000_000_000L, 0);
    assertThatThrownBy(() -> rec.enginePreemptions(new Long[] {1L, 2L}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 pools");
    rec.close();
  }

  /** A finished loadgen-mode shard whose engines counted {@code perPool} (null: not scraped). */
  private Path shard(String name, Long[] perPool) {
    run(name, r -> {
      if (perPool == null) {
        r.preemptionsUnknown();
      } else {
        r.enginePreemptions(perPool);
      }
    });
    RunDirectory.open(tmp.resolve(name)).writeRunInfo(new RunInfo("loadgen", "test", "", "", 1,
        new RunInfo.Trace("t", "", 10), List.of(), 2, java.util.Map.of(), java.util.Map.of()));
    return tmp.resolve(name);
  }

  @Test
  void merge_loadgenShards_takesTheLargestEngineCountPerPool() {
    // shards scrape the same engines over overlapping windows: the counts overlap, not add up
    Summary merged = RunMerger.merge(List.of(shard("a", new Long[] {3L, 4L}),
        shard("b", new Long[] {5L, 2L})), tmp.resolve("merged"));
    assertThat(merged.pools().get("short").preemptions()).isEqualTo(5);
    assertThat(merged.pools().get("long").preemptions()).isEqualTo(4);
    assertThat(merged.preemptions()).isEqualTo(9);
  }

  @Test
  void merge_anyShardUnknown_isUnknown() {
    Summary merged = RunMerger.merge(List.of(shard("a", new Long[] {3L, 4L}), shard("b", null)),
        tmp.resolve("merged"));
    assertThat(merged.preemptions()).isNull();
    assertThat(merged.pools().get("short").preemptions()).isNull();
  }
}
