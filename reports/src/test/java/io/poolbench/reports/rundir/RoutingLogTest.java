package io.poolbench.reports.rundir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingLogTest {

  @TempDir Path tmp;

  @Test
  void writer_roundTripsThroughRoutingJson() throws Exception {
    RunDirectory dir = RunDirectory.create(tmp.resolve("run"));
    RoutingLogWriter w = new RoutingLogWriter();
    w.sample(10.0, "prose", 4.31, 4.47, 50);
    w.sample(10.0, "cjk", 1.95, 2.02, 12);
    w.promptError(new long[] {-1, 0, 1}, new long[] {3, 90, 6, 1}, -2);
    w.write(dir);

    RoutingLog read = RoutingLog.read(dir.path());

    assertThat(read.ratios()).containsExactlyElementsOf(w.log().ratios());
    assertThat(read.promptError().upperBounds()).containsExactly(-1, 0, 1);
    assertThat(read.promptError().counts()).containsExactly(3, 90, 6, 1);
    assertThat(read.promptError().sum()).isEqualTo(-2);
    assertThat(Files.readString(dir.file(RoutingLog.ROUTING_JSON)))
        .contains("\"routing_bytes_per_token\" : 4.31", "\"prompt_error\"");
  }

  @Test
  void read_absentFile_isNull() {
    assertThat(RoutingLog.read(tmp)).isNull();
  }

  @Test
  void errorHistogram_needsOneMoreCountThanBounds() {
    assertThatThrownBy(() -> new RoutingLog.ErrorHistogram(new long[] {0}, new long[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prompt_error needs counts.length == upper_bounds.length + 1");
  }

  @Test
  void log_withoutSamplesOrErrors_isEmptyNotNull() {
    RoutingLog log = new RoutingLogWriter().log();
    assertThat(log.ratios()).isEmpty();
    assertThat(log.promptError()).isNull();
  }
}
