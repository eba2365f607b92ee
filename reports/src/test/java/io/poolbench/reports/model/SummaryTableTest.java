package io.poolbench.reports.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.RunFixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SummaryTableTest {

  @TempDir Path tmp;

  private static SummaryTable.Row row(SummaryTable t, String key) {
    return t.rows().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
  }

  @Test
  void table_takesFiguresFromSummaryJsonAndPricesFromRunJson() {
    RunData one = RunLoader.load(RunFixtures.write(tmp.resolve("one"),
        RunFixtures.Spec.single(100)).dir());
    RunData two = RunLoader.load(RunFixtures.write(tmp.resolve("two"),
        RunFixtures.Spec.twoPool(100).withoutPrice()).dir());
    SummaryTable t = Report.of(List.of(one, two), null, null).summaryTable();

    assertThat(t.columns()).containsExactly("single", "token-budget");
    assertThat(row(t, "gpus").values()).containsExactly(10.0, 8.0);
    assertThat(row(t, "dollars_per_year").values()).containsExactly(10 * 2.0 * 8760, null);
    assertThat(row(t, "requests").values()).containsExactly(100.0, 100.0);
    assertThat(row(t, "rejected").values()).containsExactly(2.0, 2.0);
    assertThat(row(t, "ttft_p99_ms").values().get(0))
        .isEqualTo(one.summary().ttftMs().p99());
    assertThat(row(t, "gpus").best()).isEqualTo(1);
  }

  @Test
  void table_priceOverride_appliesToEveryRun() {
    RunData two = RunLoader.load(RunFixtures.write(tmp.resolve("two"),
        RunFixtures.Spec.twoPool(10).withoutPrice()).dir());
    SummaryTable t = Report.of(List.of(two), null, 3.0).summaryTable();
    assertThat(row(t, "dollars_per_year").values()).containsExactly(8 * 3.0 * 8760);
  }

  /** Sets {@code field} of {@code dir}'s JSON file {@code file} (a dotted path) to {@code v}. */
  private static void edit(Path dir, String file, String path, Integer v) throws Exception {
    var mapper = io.poolbench.reports.rundir.RunDirectory.mapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
        dir.resolve(file).toFile());
    var node = root;
    String[] keys = path.split("\\.");
    for (int i = 0; i < keys.length - 1; i++) {
      node = (com.fasterxml.jackson.databind.node.ObjectNode) node.get(keys[i]);
    }
    if (v == null) {
      node.putNull(keys[keys.length - 1]);
    } else {
      node.put(keys[keys.length - 1], v);
    }
    mapper.writeValue(dir.resolve(file).toFile(), root);
  }

  @Test
  void table_unknownPreemptions_showADashNotZero() throws Exception {
    Path dir = RunFixtures.write(tmp.resolve("live"), RunFixtures.Spec.single(20)).dir();
    edit(dir, "summary.json", "preemptions", null);
    edit(dir, "summary.json", "preemptions_per_1000", null);
    SummaryTable t = Report.of(List.of(RunLoader.load(dir)), null, null).summaryTable();
    assertThat(row(t, "preemptions_per_1000").values()).containsExactly((Double) null);
    assertThat(io.poolbench.reports.text.TextReporter.render(t))
        .containsPattern("Preemptions per 1,000 +—");
  }

  @Test
  void table_sizedRuns_showGpusNeededAndTheSavingAgainstOnePool() throws Exception {
    Path one = RunFixtures.write(tmp.resolve("one"), RunFixtures.Spec.single(20)).dir();
    Path two = RunFixtures.write(tmp.resolve("two"), RunFixtures.Spec.twoPool(20)).dir();
    edit(one, "run.json", "config.gpus_needed", 10);
    edit(two, "run.json", "config.gpus_needed", 8);
    SummaryTable t = Report.of(List.of(RunLoader.load(one), RunLoader.load(two)), null, null)
        .summaryTable();
    assertThat(row(t, "gpus_needed").values()).containsExactly(10.0, 8.0);
    assertThat(row(t, "gpu_saving").values().get(0)).isZero();
    assertThat(row(t, "gpu_saving").values().get(1)).isCloseTo(0.2,
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void table_runsAtAGivenFleet_haveNoSizingRows() {
    RunData one = RunLoader.load(RunFixtures.write(tmp.resolve("one"),
        RunFixtures.Spec.single(10)).dir());
    SummaryTable t = Report.of(List.of(one), null, null).summaryTable();
    assertThat(t.rows()).noneMatch(r -> r.key().equals("gpus_needed"));
  }

  static Stream<Arguments> bestCases() {
    return Stream.of(
        Arguments.of(Named.of("lower wins", SummaryTable.Better.LOWER), new Double[] {5.0, 3.0},
            1),
        Arguments.of(Named.of("higher wins", SummaryTable.Better.HIGHER),
            new Double[] {5.0, 3.0}, 0),
        Arguments.of(Named.of("within 1% is a tie", SummaryTable.Better.LOWER),
            new Double[] {100.0, 100.5}, -1),
        Arguments.of(Named.of("missing values are skipped", SummaryTable.Better.LOWER),
            new Double[] {null, 4.0, 9.0}, 1),
        Arguments.of(Named.of("one value has no best", SummaryTable.Better.LOWER),
            new Double[] {null, 4.0}, -1),
        Arguments.of(Named.of("no direction", SummaryTable.Better.NONE), new Double[] {1.0, 2.0},
            -1));
  }

  @ParameterizedTest
  @MethodSource("bestCases")
  void best_marksOnlyAClearWinner(SummaryTable.Better better, Double[] values, int expected) {
    SummaryTable.Row r = new SummaryTable.Row("k", "g", "l", "", ValueKind.DECIMAL, better,
        Arrays.asList(values));
    assertThat(r.best()).isEqualTo(expected);
  }

  static Stream<Arguments> formats() {
    return Stream.of(
        Arguments.of(ValueKind.INTEGER, 1234567.0, "1,234,567", "1234567"),
        Arguments.of(ValueKind.DECIMAL, 48.4309, "48.43", "48.4309"),
        Arguments.of(ValueKind.PRECISE, 0.23284104, "0.2328", "0.23284104"),
        Arguments.of(ValueKind.MILLIS, 8.159, "8.16", "8.159"),
        Arguments.of(ValueKind.MILLIS, 174.175, "174.2", "174.175"),
        Arguments.of(ValueKind.MILLIS, 5369.855, "5,370", "5369.855"),
        Arguments.of(ValueKind.MONEY, 4026797.0, "$4,026,797", "4026797"),
        Arguments.of(ValueKind.PERCENT, 0.419, "41.9%", "0.419"),
        Arguments.of(ValueKind.YES_NO, 1.0, "yes", "1"),
        Arguments.of(ValueKind.DECIMAL, null, "—", ""));
  }

  @ParameterizedTest
  @MethodSource("formats")
  void valueKind_formatsForPeopleAndForCsv(ValueKind kind, Double v, String human, String raw) {
    assertThat(kind.format(v)).isEqualTo(human);
    assertThat(kind.raw(v)).isEqualTo(raw);
  }
}
