package io.poolbench.reports.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolbench.reports.RunFixtures;
import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.reports.rundir.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLoaderTest {

  @TempDir Path tmp;

  @Test
  void load_fullRunDirectory_readsEveryFile() {
    RunFixtures.Written w = RunFixtures.write(tmp.resolve("run"), RunFixtures.Spec.twoPool(300));
    RunData d = RunLoader.load(w.dir());

    assertThat(d.summary().requests().total()).isEqualTo(300);
    assertThat(d.facts().policy()).isEqualTo("token-budget");
    assertThat(d.facts().poolNames()).containsExactly("short", "long");
    assertThat(d.latency()).isNotNull();
    // every OK request has a TTFT; the merged hlog histograms hold exactly those
    assertThat(d.latency().histogram(LatencyMetric.TTFT).getTotalCount())
        .isEqualTo(300 - w.rejected());
    assertThat(d.latency().intervals(LatencyMetric.TTFT)).isNotEmpty()
        .allSatisfy(i -> assertThat(i.startS()).isBetween(0.0, 40.0));
    assertThat(d.requests().rows()).isEqualTo(300);
    assertThat(d.requests().poolTotal(0)).isEqualTo(w.perPool()[0]);
    assertThat(d.requests().poolTotal(1)).isEqualTo(w.perPool()[1]);
    assertThat(d.requests().fractionWithin(8192)).isEqualTo(w.within8k() / 300.0);
    assertThat(d.routing()).isNull();
  }

  @Test
  void load_withoutOptionalFiles_leavesThemNull() throws Exception {
    Path dir = RunFixtures.write(tmp.resolve("run"), RunFixtures.Spec.single(50)).dir();
    Files.delete(dir.resolve(RunDirectory.LATENCY_HLOG));
    Files.delete(dir.resolve(RunDirectory.REQUESTS_CSV_GZ));

    RunData d = RunLoader.load(dir);

    assertThat(d.latency()).isNull();
    assertThat(d.requests()).isNull();
    assertThat(d.summary().requests().total()).isEqualTo(50);
  }

  @Test
  void load_withRoutingJson_readsIt() {
    Path dir = RunFixtures.write(tmp.resolve("run"), RunFixtures.Spec.twoPool(20)).dir();
    RoutingLogWriter w = new RoutingLogWriter();
    w.sample(1.0, "prose", 4.2, 4.4, 10);
    w.promptError(new long[] {-1, 0, 1}, new long[] {1, 2, 3, 4}, 5);
    w.write(RunDirectory.open(dir));

    RunData d = RunLoader.load(dir);

    assertThat(d.routing().ratios()).hasSize(1);
    assertThat(d.routing().promptError().counts()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void load_missingDirectory_saysSoInOneLine() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> RunLoader.load(missing)).isInstanceOf(RunLoadException.class)
        .hasMessage("Could not find run directory: " + missing);
  }

  @Test
  void load_directoryWithoutRunJson_isNotARunDirectory() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> RunLoader.load(dir)).isInstanceOf(RunLoadException.class)
        .hasMessage("Not a run directory (needs run.json and summary.json): " + dir);
  }

  @Test
  void load_file_isNotARunDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("f.txt"), "x");
    assertThatThrownBy(() -> RunLoader.load(file))
        .hasMessage("Not a run directory (not a directory): " + file);
  }

  @Test
  void load_corruptRunJson_namesTheFileInOneLine() throws Exception {
    Path dir = RunFixtures.write(tmp.resolve("run"), RunFixtures.Spec.single(5)).dir();
    Files.writeString(dir.resolve("run.json"), "{ not json");
    assertThatThrownBy(() -> RunLoader.load(dir)).isInstanceOf(RunLoadException.class)
        .hasMessageStartingWith(dir.resolve("run.json") + ": not valid run.json (")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void binSeconds_longRun_widensBinsToBoundTheirNumber() {
    RunData d = RunLoader.load(RunFixtures.write(tmp.resolve("run"),
        RunFixtures.Spec.single(5)).dir());
    var s = d.summary();
    var longRun = new io.poolbench.reports.rundir.Summary(s.requests(), s.ttftMs(), s.tpotMs(),
        s.itlMs(), s.e2eMs(), s.queueMs(), 86_400, 1, s.gpus(), null, 1, null, 1, null, null, 0L,
        0.0, null, null, 0, 0, null, null, null, null, null, null);
    double bin = RunLoader.binSeconds(d.facts(), longRun);
    assertThat(86_400 / bin).isLessThanOrEqualTo(RunLoader.MAX_BINS);
    assertThat(RunLoader.binSeconds(d.facts(), s)).isEqualTo(1.0);
  }

  @Test
  void binSeconds_runJsonWithoutTheInterval_takesItFromLatencyHlog() throws Exception {
    // live run directories used to lack config.hlog_interval_s; their 1 s hlog intervals must
    // still give 1 s bins (not the 10 s default), so they line up with simulated runs
    Path dir = RunFixtures.write(tmp.resolve("run"), RunFixtures.Spec.single(300)).dir();
    var mapper = RunDirectory.mapper();
    var tree = (ObjectNode) mapper.readTree(
        dir.resolve("run.json").toFile());
    ((ObjectNode) tree.get("config")).remove("hlog_interval_s");
    mapper.writeValue(dir.resolve("run.json").toFile(), tree);

    RunData d = RunLoader.load(dir);

    assertThat(d.facts().intervalSeconds()).isNull();
    assertThat(d.requests().binSeconds()).isEqualTo(1.0);
    assertThat(RunLoader.binSeconds(d.facts(), d.summary())).isEqualTo(10.0);
  }
}
