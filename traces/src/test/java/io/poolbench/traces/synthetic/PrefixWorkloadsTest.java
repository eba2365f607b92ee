package io.poolbench.traces.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.stats.TraceStats;
import io.poolbench.traces.stats.TraceStatsCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PrefixWorkloadsTest {

  private static List<TraceRequest> read(String spec) {
    try (Stream<TraceRequest> s = BuiltinWorkloads.open(spec).open()) {
      return s.toList();
    }
  }

  @Test
  void sharedPrefix_everyRequestStartsWithOneOfTheSystemPrompts() {
    List<TraceRequest> rs = read("shared-prefix?rate=20&duration=100s&prefixes=4&prefix-tokens=1536"
        + "&user-tokens=100&output-tokens=50&seed=3");
    assertThat(rs.size()).isBetween(1800, 2200);
    Set<List<Long>> prefixes = new HashSet<>();
    for (TraceRequest r : rs) {
      assertThat(r.prefixHashes()).hasSize(3);
      assertThat(r.promptTokens()).isBetween(1536 + 50, 1536 + 150);
      assertThat(r.outputTokens()).isBetween(25, 75);
      prefixes.add(Arrays.stream(r.prefixHashes()).boxed().toList());
    }
    assertThat(prefixes).hasSize(4);
    List<TraceRequest> again = read("shared-prefix?rate=20&duration=100s&prefixes=4"
        + "&prefix-tokens=1536&user-tokens=100&output-tokens=50&seed=3");
    assertThat(again).hasSameSizeAs(rs);
    for (int i = 0; i < rs.size(); i++) {
      assertThat(again.get(i).arrivalNanos()).isEqualTo(rs.get(i).arrivalNanos());
      assertThat(again.get(i).promptTokens()).isEqualTo(rs.get(i).promptTokens());
      assertThat(again.get(i).prefixHashes()).isEqualTo(rs.get(i).prefixHashes());
    }
    TraceStats stats = TraceStatsCollector.of(BuiltinWorkloads.open(
        "shared-prefix?rate=20&duration=100s&prefixes=4&prefix-tokens=1536&seed=3"),
        List.of(8192));
    // all blocks but the first sighting of each of the 4 × 3 prefix ids are reused
    assertThat(stats.prefixReuse().reused()).isEqualTo(stats.prefixReuse().blocks() - 12);
  }

  @Test
  void multiTurn_eachTurnExtendsThePreviousPrompt() {
    List<TraceRequest> rs = read("multi-turn?rate=1&duration=200s&turns=4&think-s=5"
        + "&system-prompts=2&system-tokens=512&user-tokens=100&output-tokens=100&seed=9");
    for (int i = 1; i < rs.size(); i++) {
      assertThat(rs.get(i).arrivalNanos()).isGreaterThanOrEqualTo(rs.get(i - 1).arrivalNanos());
    }
    // a session's own first block (block 1, after the one system block) names it
    Map<Long, List<TraceRequest>> sessions = new HashMap<>();
    Set<Long> systems = new HashSet<>();
    for (TraceRequest r : rs) {
      assertThat(r.prefixHashes()).hasSize((r.promptTokens() + 511) / 512);
      systems.add(r.prefixHashes()[0]);
      sessions.computeIfAbsent(r.prefixHashes()[1], k -> new ArrayList<>()).add(r);
    }
    assertThat(systems).hasSize(2);
    assertThat(sessions.size()).isBetween(160, 240);
    double turns = 0;
    for (List<TraceRequest> s : sessions.values()) {
      turns += s.size();
      assertThat(s.size()).isBetween(1, 7);
      for (int k = 1; k < s.size(); k++) {
        TraceRequest before = s.get(k - 1);
        TraceRequest now = s.get(k);
        assertThat(now.arrivalNanos() - before.arrivalNanos()).isGreaterThanOrEqualTo(1_000_000_000L);
        // the new prompt holds the previous prompt, its output and a new message of 50..150
        assertThat(now.promptTokens() - before.promptTokens() - before.outputTokens())
            .isBetween(50, 150);
        long[] head = Arrays.copyOf(now.prefixHashes(), before.prefixHashes().length);
        assertThat(head).isEqualTo(before.prefixHashes());
      }
    }
    assertThat(turns / sessions.size()).isCloseTo(4, within(0.5));
  }

  @Test
  void multiTurn_endsASessionAtMaxContext() {
    for (TraceRequest r : read("multi-turn?rate=1&duration=60s&turns=40&think-s=1"
        + "&system-tokens=0&user-tokens=300&output-tokens=300&max-context=4096")) {
      assertThat(r.promptTokens() + r.outputTokens()).isLessThanOrEqualTo(4096 + 150);
    }
  }

  @Test
  void badParameters_nameTheValueAndTheExpectedForm() {
    assertThatThrownBy(() -> BuiltinWorkloads.open("shared-prefix?prefix-tokens=1000"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("prefix-tokens '1000'").hasMessageContaining("multiple of 512");
    assertThatThrownBy(() -> BuiltinWorkloads.open("multi-turn?turn=3"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("Unknown parameter 'turn'")
        .hasMessageContaining("turns");
    assertThatThrownBy(() -> BuiltinWorkloads.open("multi-turn?think-s=-1"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("think-s '-1'");
    assertThatThrownBy(() -> BuiltinWorkloads.open("multi-turn?max-context=1000"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("max-context (1000)");
    TraceSource ok = BuiltinWorkloads.open("multi-turn?duration=10s");
    assertThat(ok.name()).isEqualTo("builtin:multi-turn?duration=10s");
  }
}
