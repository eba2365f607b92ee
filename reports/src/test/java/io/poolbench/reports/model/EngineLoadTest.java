package io.poolbench.reports.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineLoadTest {

  @TempDir Path tmp;

  @Test
  void read_sumsEnginesPerReadAndAveragesReadsPerBin() throws Exception {
    Files.writeString(tmp.resolve("engine-metrics.csv"), """
        t_s,pool,endpoint,running,waiting,kv_cache_usage,preemptions_total
        0.500,short,http://a:1,2,1,0.2000,0
        0.500,short,http://a:2,4,0,0.4000,0
        1.000,short,http://a:1,6,1,0.6000,1
        1.000,short,http://a:2,0,0,,1
        1.500,long,http://b:1,1,,0.5000,0
        bad row
        """);
    EngineLoad load = EngineLoad.read(tmp, 1.0);
    assertThat(load.pools()).containsOnlyKeys("short", "long");
    EngineLoad.Series s = load.pools().get("short");
    // bin [0, 1): one read, engines summed; bin [1, 2): one read
    assertThat(s.tSeconds()).containsExactly(0.5, 1.5);
    assertThat(s.running()).containsExactly(6.0, 6.0);
    assertThat(s.waiting()).containsExactly(1.0, 1.0);
    assertThat(s.kvUsage()[0]).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.kvUsage()[1]).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
    EngineLoad.Series l = load.pools().get("long");
    assertThat(l.running()).containsExactly(1.0);
    assertThat(l.waiting()[0]).isNaN();
  }

  @Test
  void read_noFile_isNull() {
    assertThat(EngineLoad.read(tmp, 1.0)).isNull();
  }
}
