package io.poolbench.reports.rundir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMergerTest {

  private static final List<String> POOLS = List.of("short", "long");
  private static final Summary.Slo SLO = new Summary.Slo(500, 40);
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;

  private static RunRecorder recorder(Path path, List<String> pools) {
    return new RunRecorder(RunDirectory.create(path), pools, new int[] {4, 8}, new int[] {2, 1}, SLO,
        SECOND, 0);
  }

  /**
   * Feeds the same seeded requests to a whole run and to three shards (row i to shard i mod 3);
   * times are whole microseconds, as requests.csv.gz keeps them.
   */
  private Summary[] record(Path whole, Path[] shards) {
    RunRecorder all = recorder(whole, POOLS);
    RunRecorder[] parts = new RunRecorder[shards.length];
    for (int s = 0; s < shards.length; s++) {
      parts[s] = recorder(shards[s], POOLS);
    }
    SplittableRandom random = new SplittableRandom(17);
    OutcomeKind[] outcomes = {OutcomeKind.OK, OutcomeKind.OK, OutcomeKind.OK, OutcomeKind.OK,
        OutcomeKind.REJECTED_CONTEXT, OutcomeKind.ENGINE_FAILURE, OutcomeKind.NOT_SENT};
    String[] categories = {"prose", "code", null};
    long now = 0;
    for (int i = 0; i < 3_000; i++) {
      now += random.nextLong(1_000, 5_000_000);
      int pool = random.nextInt(3) - 1; // -1: never routed
      OutcomeKind outcome = pool < 0 ? OutcomeKind.NOT_SENT : outcomes[random.nextInt(outcomes.length)];
      long ttft = outcome == OutcomeKind.OK ? random.nextLong(1_000, 3_000_000) * 1_000 : -1;
      int generated = outcome == OutcomeKind.OK ? random.nextInt(1, 400) : 0;
      long e2e = outcome == OutcomeKind.NOT_SENT ? -1 : Math.max(ttft, 0) + random.nextLong(0, 9_000_000) * 1_000;
      long queue = outcome == OutcomeKind.NOT_SENT ? -1 : random.nextLong(0, 50_000) * 1_000;
      String category = categories[random.nextInt(categories.length)];
      RunRecorder part = parts[i % shards.length];
      if (pool >= 0 && generated > 1) {
        for (int g = 0; g < 5; g++) {
          long gap = random.nextLong(1_000, 200_000) * 1_000;
          all.recordItl(pool, 1, gap);
          part.recordItl(pool, 1, gap);
        }
      }
      if (pool >= 0 && i % 97 == 0) {
        all.recordMisroute(pool);
        part.recordMisroute(pool);
      }
      for (RunRecorder r : new RunRecorder[] {all, part}) {
        r.advanceTo(now);
        r.recordRequest(i, now, pool, 0, category, 100 + i, 20, -1, outcome,
            outcome == OutcomeKind.OK ? 200 : 0, queue, ttft, e2e, generated, i % 50 == 0 ? 1 : 0);
      }
    }
    Summary[] out = new Summary[shards.length + 1];
    out[0] = all.finish(now);
    for (int s = 0; s < shards.length; s++) {
      out[s + 1] = parts[s].finish(now);
    }
    return out;
  }

  @Test
  void merge_ofShards_equalsTheWholeRun_countsAndEveryHistogram() {
    Path[] shards = {dir.resolve("s0"), dir.resolve("s1"), dir.resolve("s2")};
    Summary whole = record(dir.resolve("whole"), shards)[0];
    Summary merged = RunMerger.merge(List.of(shards), dir.resolve("merged"));

    assertThat(merged.requests()).isEqualTo(whole.requests());
    for (LatencyMetric m : LatencyMetric.values()) {
      assertThat(merged.latency(m)).as(m.tag()).isEqualTo(whole.latency(m));
    }
    assertThat(merged.goodputRps()).isEqualTo(whole.goodputRps());
    assertThat(merged.preemptions()).isEqualTo(whole.preemptions());
    assertThat(merged.misroutes()).isEqualTo(whole.misroutes());
    for (String pool : POOLS) {
      Summary w = whole.pools().get(pool);
      Summary g = merged.pools().get(pool);
      assertThat(g.requests()).as(pool).isEqualTo(w.requests());
      assertThat(g.itlMs()).as(pool + " itl").isEqualTo(w.itlMs());
      assertThat(g.ttftMs()).as(pool + " ttft").isEqualTo(w.ttftMs());
      assertThat(g.gpus()).isEqualTo(w.gpus());
    }
    assertThat(merged.categories().keySet()).isEqualTo(whole.categories().keySet());
    whole.categories().forEach((name, w) ->
        assertThat(merged.categories().get(name).e2eMs()).as(name).isEqualTo(w.e2eMs()));
    assertThat(dir.resolve("merged").resolve(RunDirectory.LATENCY_HLOG)).exists();
  }

  @Test
  void merge_keepsTheShardsSendLagAsUpperBounds_andAddsTheirCpu() {
    Path a = dir.resolve("lag-a");
    Path b = dir.resolve("lag-b");
    RunRecorder ra = recorder(a, POOLS);
    RunRecorder rb = recorder(b, POOLS);
    long[] shardRows = {10, 30};
    RunRecorder[] both = {ra, rb};
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < shardRows[s]; i++) {
        both[s].recordRequest(i, i * SECOND, 0, 0, "prose", 100, 20, -1, OutcomeKind.OK, 200,
            0, 1_000_000, 5_000_000, 20, 0);
      }
    }
    ra.toolOverhead(new LatencySummary(10, 0.5, 0.2, 0.9, 3.0, 3.0, 3.0),
        new Summary.ToolUse(1.0, 100.0, 4, 2, 30, 100, 40, 8, false));
    rb.toolOverhead(new LatencySummary(30, 0.3, 0.25, 0.6, 1.0, 9.0, 9.0),
        new Summary.ToolUse(2.0, 66.7, 6, 3, 28, 120, 30, 5, false));
    ra.finish(40 * SECOND);
    rb.finish(40 * SECOND);
    Summary merged = RunMerger.merge(List.of(a, b), dir.resolve("lag-merged"));
    LatencySummary lag = merged.sendLagMs();
    assertThat(lag.count()).isEqualTo(40);
    assertThat(lag.mean()).isCloseTo((10 * 0.5 + 30 * 0.3) / 40,
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(lag.p50()).isEqualTo(0.25);
    assertThat(lag.p99()).isEqualTo(3.0);
    assertThat(lag.max()).isEqualTo(9.0);
    Summary.ToolUse use = merged.loadgen();
    assertThat(use.cpuS()).isEqualTo(3.0);
    assertThat(use.cpuMsPerRequest()).isCloseTo(3000.0 / 40, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(use.gcPauseMs()).isEqualTo(10.0);
    assertThat(use.inFlightMax()).isEqualTo(13);
    assertThat(RunDirectory.open(dir.resolve("lag-merged")).readSummary().sendLagMs())
        .isEqualTo(lag);
  }

  @Test
  void merge_rejectsShardsWithOtherPools_andNonRunDirectories() {
    RunRecorder a = recorder(dir.resolve("a"), POOLS);
    a.finish(SECOND);
    RunRecorder b = new RunRecorder(RunDirectory.create(dir.resolve("b")), List.of("only"),
        new int[] {1}, new int[] {1}, SLO, SECOND, 0);
    b.finish(SECOND);
    assertThatThrownBy(() -> RunMerger.merge(List.of(dir.resolve("a"), dir.resolve("b")), dir.resolve("m")))
        .hasMessageStartingWith("Shards disagree on pools: ");
    assertThatThrownBy(() -> RunMerger.merge(List.of(dir.resolve("nothing")), dir.resolve("m")))
        .hasMessage("Not a finished run directory (needs summary.json and requests.csv.gz): " + dir.resolve("nothing"));
  }
}
