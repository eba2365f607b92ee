package io.poolbench.traces.format;

import static io.poolbench.traces.format.Fixtures.read;
import static io.poolbench.traces.format.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.PrefixIds;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSources;
import io.poolbench.traces.format.generic.ArrivalUnit;
import io.poolbench.traces.format.generic.ColumnMapping;
import io.poolbench.traces.stats.TraceStats;
import io.poolbench.traces.stats.TraceStatsCollector;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prefix structure in generic traces: hash ids derived from {@code session_id}, {@code prefix_id}
 * and {@code prefix_tokens}, and the {@code file:line} errors for bad prefix data.
 */
class PrefixColumnsTest {
  private static final String CSV_HEADER =
      "arrival_ms,prompt_tokens,output_tokens,session_id,prefix_id,prefix_tokens\n";
  private static final String NOT_A_LIST =
      "' is not a list of integers: expected e.g. [46, 47], each within 64 bits";

  @TempDir Path dir;

  private static String jsonl(long arrival, int prompt, String extra) {
    return "{\"arrival_ms\":" + arrival + ",\"prompt_tokens\":" + prompt
        + ",\"output_tokens\":5" + extra + "}\n";
  }

  private List<TraceRequest> readFile(String name, String text) {
    return read(TraceSources.resolve(write(dir, name, text).toString(), ReadOptions.defaults()));
  }

  private static Set<Long> set(long[] ids) {
    Set<Long> s = new HashSet<>();
    Arrays.stream(ids).forEach(s::add);
    return s;
  }

  // ---- derivation --------------------------------------------------------------------------

  @Test
  void samePrefixId_sharesExactlyTheFullPrefixBlocks() {
    // 1300 prefix tokens: 2 full blocks shared; the partial third block is the request's own
    List<TraceRequest> r = readFile("p.jsonl",
        jsonl(0, 2000, ",\"prefix_id\":\"sys-a\",\"prefix_tokens\":1300")
            + jsonl(10, 1600, ",\"prefix_id\":\"sys-a\",\"prefix_tokens\":1300")
            + jsonl(20, 2000, ",\"prefix_id\":\"sys-b\",\"prefix_tokens\":1300"));
    long[] a1 = r.get(0).prefixHashes();
    long[] a2 = r.get(1).prefixHashes();
    long[] b = r.get(2).prefixHashes();
    assertThat(a1).hasSize(4); // ceil(2000 / 512)
    assertThat(a2).hasSize(4); // ceil(1600 / 512)
    assertThat(Arrays.copyOf(a2, 2)).containsExactly(a1[0], a1[1]);
    Set<Long> shared = set(a1);
    shared.retainAll(set(a2));
    assertThat(shared).containsExactlyInAnyOrder(a1[0], a1[1]);
    assertThat(set(b)).doesNotContainAnyElementsOf(set(a1)).doesNotContainAnyElementsOf(set(a2));
    assertThat(set(a1)).hasSize(4);
  }

  @Test
  void sessionTurns_repeatEveryBlockOfThePreviousTurn() {
    // turns of s1 grow 700 -> 1600 -> 2100 tokens; s2 is another conversation with the same
    // system prompt (1024 tokens: 2 shared blocks)
    String sys = ",\"prefix_id\":\"sys\",\"prefix_tokens\":1024";
    List<TraceRequest> r = readFile("s.jsonl",
        jsonl(0, 1100, ",\"session_id\":\"s1\"" + sys)
            + jsonl(5, 1100, ",\"session_id\":\"s2\"" + sys)
            + jsonl(10, 1600, ",\"session_id\":\"s1\"" + sys)
            + jsonl(20, 2100, ",\"session_id\":\"s1\"" + sys));
    long[] t1 = r.get(0).prefixHashes();
    long[] other = r.get(1).prefixHashes();
    long[] t2 = r.get(2).prefixHashes();
    long[] t3 = r.get(3).prefixHashes();
    assertThat(t1).hasSize(3);
    assertThat(t2).hasSize(4).startsWith(t1);
    assertThat(t3).hasSize(5).startsWith(t2);
    // the other session shares the system prompt's two blocks and nothing else
    assertThat(Arrays.copyOf(other, 2)).containsExactly(t1[0], t1[1]);
    Set<Long> common = set(other);
    common.retainAll(set(t3));
    assertThat(common).containsExactlyInAnyOrder(t1[0], t1[1]);
    assertThat(set(t3)).hasSize(5);
  }

  @Test
  void sessionTurns_shareFullBlocksWithoutAPrefix() {
    List<TraceRequest> r = readFile("s.csv", CSV_HEADER
        + "0,512,5,chat-7,,\n"
        + "1000,1030,5,chat-7,,\n"
        + "2000,1030,5,chat-8,,\n");
    assertThat(r.get(0).prefixHashes()).hasSize(1);
    assertThat(r.get(1).prefixHashes()).hasSize(3).startsWith(r.get(0).prefixHashes());
    assertThat(set(r.get(2).prefixHashes()))
        .doesNotContainAnyElementsOf(set(r.get(1).prefixHashes()));
  }

  @Test
  void csvAndJsonl_deriveTheSameIds() {
    List<TraceRequest> csv = readFile("a.csv", CSV_HEADER
        + "0,1500,5,\"conv 1\",sys,1024\n" + "10,2000,5,conv 1,sys,1024\n");
    List<TraceRequest> json = readFile("a.jsonl",
        jsonl(0, 1500, ",\"session_id\":\"conv 1\",\"prefix_id\":\"sys\",\"prefix_tokens\":1024")
            + jsonl(10, 2000,
                ",\"session_id\":\"conv 1\",\"prefix_id\":\"sys\",\"prefix_tokens\":1024"));
    for (int i = 0; i < 2; i++) {
      assertThat(csv.get(i).prefixHashes()).containsExactly(json.get(i).prefixHashes());
    }
  }

  @Test
  void idsFollowTheDocumentedDerivation() {
    List<TraceRequest> r = readFile("d.jsonl",
        jsonl(0, 1600, ",\"session_id\":\"s\",\"prefix_id\":\"p\",\"prefix_tokens\":600"));
    long p = PrefixIds.key("prefix", "p");
    long s = PrefixIds.key("session", "s");
    assertThat(r.get(0).prefixHashes()).containsExactly(PrefixIds.id(p, 0), PrefixIds.id(s, 1),
        PrefixIds.id(s, 2), PrefixIds.id(s, 3));
  }

  @Test
  void requestsWithoutSession_haveTheirOwnIdsBeyondThePrefix() {
    List<TraceRequest> r = readFile("u.csv", CSV_HEADER
        + "0,1024,5,,x,512\n" + "1,1024,5,,x,512\n" + "2,1024,5,,,\n");
    assertThat(r.get(0).prefixHashes()[0]).isEqualTo(r.get(1).prefixHashes()[0]);
    assertThat(r.get(0).prefixHashes()[1]).isNotEqualTo(r.get(1).prefixHashes()[1]);
    assertThat(r.get(2).prefixHashes()).as("no prefix columns set: no ids").isNull();
  }

  @Test
  void manySessions_eachKeepsItsOwnChain() {
    StringBuilder text = new StringBuilder();
    int sessions = 3000; // grows the session table several times
    for (int turn = 0; turn < 2; turn++) {
      for (int s = 0; s < sessions; s++) {
        text.append(jsonl(turn * 10_000L + s, 600 + turn * 600, ",\"session_id\":" + s));
      }
    }
    List<TraceRequest> r = readFile("m.jsonl", text.toString());
    Set<Long> all = new HashSet<>();
    for (int s = 0; s < sessions; s++) {
      long[] first = r.get(s).prefixHashes();
      long[] second = r.get(sessions + s).prefixHashes();
      assertThat(second).hasSize(3).startsWith(first);
      all.addAll(set(second));
    }
    assertThat(all).hasSize(3 * sessions);
  }

  @Test
  void traceStats_prefixReuseMatchesHandCount() {
    // blocks per request and how many were seen before:
    //  1: prefix A (2 full blocks) + own block               3 blocks, 0 reused
    //  2: prefix A + own block                               3 blocks, 2 reused (A0, A1)
    //  3: session s turn 1, 600 tokens                        2 blocks, 0 reused
    //  4: session s turn 2, 1200 tokens                       3 blocks, 2 reused (s0, s1)
    //  5: prefix B, 600 tokens (1 full block), prompt 700     2 blocks, 0 reused
    //  6: prefix B again, prompt 600                          2 blocks, 1 reused (B0)
    List<String> rows = List.of(
        "0,1536,5,,A,1024", "100,1100,5,,A,1024", "200,600,5,s,,", "300,1200,5,s,,",
        "400,700,5,,B,600", "500,600,5,,B,600");
    Path path = write(dir, "stats.csv", CSV_HEADER + String.join("\n", rows) + "\n");
    TraceStats stats = TraceStatsCollector.of(Fixtures.file(path), List.of());
    assertThat(stats.prefixReuse()).isEqualTo(new TraceStats.PrefixReuse(6, 15, 5));
    assertThat(stats.prefixReuse().share()).isEqualTo(5.0 / 15);
  }

  @Test
  void mappedColumnNames_areUsed() {
    ColumnMapping mapping = ColumnMapping.poolbench().withArrival("ts", ArrivalUnit.S)
        .withPrompt("in").withOutput("out").withSession("conv").withPrefix("sys", "sys_len");
    Path path = write(dir, "m.csv", "ts,in,out,conv,sys,sys_len\n0,1024,1,c,p,512\n"
        + "1,1100,1,c,p,512\n");
    List<TraceRequest> r = read(new FileTraceSource(path,
        ReadOptions.defaults().withColumns(mapping)));
    assertThat(r.get(1).prefixHashes()).hasSize(3).startsWith(r.get(0).prefixHashes());
    assertThat(r.get(0).prefixHashes()[0]).isEqualTo(PrefixIds.id(PrefixIds.key("prefix", "p"), 0));
  }

  @Test
  void csvHashIds_areReadFromAQuotedList() {
    List<TraceRequest> r = readFile("h.csv",
        "arrival_ms,prompt_tokens,output_tokens,hash_ids\n0,1024,1,\"[46, 47]\"\n1,1,1,\n");
    assertThat(r.get(0).prefixHashes()).containsExactly(46, 47);
    assertThat(r.get(1).prefixHashes()).isNull();
  }

  // ---- bad input ---------------------------------------------------------------------------

  private static final String MOONCAKE_OK =
      "{\"timestamp\":0,\"input_length\":1,\"output_length\":2,\"hash_ids\":[1]}\n";

  static Stream<Arguments> badHashIds() {
    String mc = "{\"timestamp\":1,\"input_length\":1,\"output_length\":2,\"hash_ids\":";
    String gj = "{\"arrival_ms\":1,\"prompt_tokens\":1,\"output_tokens\":2,\"hash_ids\":";
    String csvHeader = "arrival_ms,prompt_tokens,output_tokens,hash_ids\n0,1,2,[]\n";
    return Stream.of(
        argumentSet("mooncake string element", "m.jsonl",
            MOONCAKE_OK + mc + "[1, \"a\"]}\n" + MOONCAKE_OK, "m.jsonl:2: hash_ids '[1, \"a\"]"),
        argumentSet("mooncake fraction", "m.jsonl",
            MOONCAKE_OK + mc + "[1.5]}\n" + MOONCAKE_OK, "m.jsonl:2: hash_ids '[1.5]"),
        argumentSet("mooncake string", "m.jsonl",
            MOONCAKE_OK + mc + "\"12\"}\n" + MOONCAKE_OK, "m.jsonl:2: hash_ids '\"12\""),
        argumentSet("mooncake nested list", "m.jsonl",
            MOONCAKE_OK + mc + "[1, [2, 3], 4]}\n" + MOONCAKE_OK,
            "m.jsonl:2: hash_ids '[1, [2, 3], 4]"),
        argumentSet("mooncake beyond 64 bits", "m.jsonl",
            MOONCAKE_OK + mc + "[18446744073709551616]}\n" + MOONCAKE_OK,
            "m.jsonl:2: hash_ids '[18446744073709551616]"),
        argumentSet("jsonl object", "g.jsonl",
            gj + "[1]}\n" + gj + "{\"a\": 1}}\n" + gj + "[2]}\n",
            "g.jsonl:2: hash_ids '{\"a\": 1}"),
        argumentSet("jsonl number", "g.jsonl",
            gj + "[1]}\n" + gj + "7}\n" + gj + "[2]}\n", "g.jsonl:2: hash_ids '7"),
        argumentSet("csv string element", "g.csv",
            csvHeader + "1,1,2,\"[1, \"\"a\"\"]\"\n2,1,2,[3]\n",
            "g.csv:3: hash_ids '[1, \"\"a\"\"]"),
        argumentSet("csv fraction", "g.csv",
            csvHeader + "1,1,2,[1.5]\n2,1,2,[3]\n", "g.csv:3: hash_ids '[1.5]"),
        argumentSet("csv bare number", "g.csv",
            csvHeader + "1,1,2,12\n2,1,2,[3]\n", "g.csv:3: hash_ids '12"),
        argumentSet("csv list then junk", "g.csv",
            csvHeader + "1,1,2,[1]x\n2,1,2,[3]\n", "g.csv:3: hash_ids '[1]x"));
  }

  @ParameterizedTest
  @MethodSource("badHashIds")
  void hashIdsNotIntegers_isABadRowAtItsLine(String name, String text, String message) {
    Path path = write(dir, name, text);
    assertThatThrownBy(() -> read(Fixtures.file(path)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(message.replaceFirst("^" + name, path.toString()) + NOT_A_LIST);
  }

  @ParameterizedTest
  @MethodSource("badHashIds")
  void hashIdsNotIntegers_skip_dropsOnlyThatRow(String name, String text, String message) {
    FileTraceSource source = new FileTraceSource(write(dir, name, text),
        ReadOptions.defaults().withOnBadRow(OnBadRow.SKIP));
    List<TraceRequest> requests = read(source);
    assertThat(source.skippedRows()).isEqualTo(1);
    assertThat(requests).hasSize(2);
  }

  static Stream<Arguments> badPrefixRows() {
    return Stream.of(
        argumentSet("prefix longer than prompt", "p.csv",
            CSV_HEADER + "0,1000,5,,a,512\n1,1000,5,,a,2048\n2,1000,5,,,\n",
            "p.csv:3: prefix_tokens 2048 is more than prompt_tokens 1000: the prefix is part of "
                + "the prompt"),
        argumentSet("prefix longer than prompt, jsonl", "p.jsonl",
            jsonl(0, 10, "") + jsonl(1, 100, ",\"prefix_id\":\"a\",\"prefix_tokens\":101")
                + jsonl(2, 10, ""),
            "p.jsonl:2: prefix_tokens 101 is more than prompt_tokens 100: the prefix is part of "
                + "the prompt"),
        argumentSet("prefix id without tokens", "p.csv",
            CSV_HEADER + "0,1000,5,,,\n1,1000,5,,sys,\n2,1000,5,,,\n",
            "p.csv:3: prefix_id 'sys' has no prefix_tokens: give both or neither"),
        argumentSet("prefix tokens without id", "p.jsonl",
            jsonl(0, 10, "") + jsonl(1, 100, ",\"prefix_tokens\":64") + jsonl(2, 10, ""),
            "p.jsonl:2: prefix_tokens 64 has no prefix_id: give both or neither"),
        argumentSet("hash ids and session", "p.jsonl",
            jsonl(0, 10, "") + jsonl(1, 100, ",\"hash_ids\":[1],\"session_id\":\"s\"")
                + jsonl(2, 10, ""),
            "p.jsonl:2: hash_ids and session_id are both given: a row's hash ids are either "
                + "listed or derived from session_id/prefix_id, not both"),
        argumentSet("hash ids and prefix", "p.csv",
            "arrival_ms,prompt_tokens,output_tokens,hash_ids,prefix_id,prefix_tokens\n"
                + "0,1,1,,,\n1,600,1,[7],sys,512\n2,1,1,,,\n",
            "p.csv:3: hash_ids and prefix_id are both given: a row's hash ids are either "
                + "listed or derived from session_id/prefix_id, not both"),
        argumentSet("bad prefix tokens", "p.csv",
            CSV_HEADER + "0,1000,5,,,\n1,1000,5,,sys,lots\n2,1000,5,,,\n",
            "p.csv:3: prefix_tokens 'lots' is not a non-negative integer"),
        argumentSet("session not a string", "p.jsonl",
            jsonl(0, 10, "") + jsonl(1, 10, ",\"session_id\":[1]") + jsonl(2, 10, ""),
            "p.jsonl:2: session_id '[1]' is not a string"));
  }

  @ParameterizedTest
  @MethodSource("badPrefixRows")
  void badPrefixRow_failsAtItsLine(String name, String text, String message) {
    Path path = write(dir, name, text);
    assertThatThrownBy(() -> read(Fixtures.file(path)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(message.replaceFirst("^" + name, path.toString()));
  }

  @ParameterizedTest
  @MethodSource("badPrefixRows")
  void badPrefixRow_skip_dropsOnlyThatRow(String name, String text, String message) {
    FileTraceSource source = new FileTraceSource(write(dir, name, text),
        ReadOptions.defaults().withOnBadRow(OnBadRow.SKIP));
    assertThat(read(source)).hasSize(2);
    assertThat(source.skippedRows()).isEqualTo(1);
  }

  private static final String BACKWARDS_CSV = CSV_HEADER
      + "1000,600,5,a,,\n"
      + "1100,600,5,b,,\n"
      + "\n"
      + "1200,700,5,b,,\n"
      + "900,1200,5,a,,\n";

  @Test
  void sessionGoingBackInTime_namesSessionTimesAndPreviousLine() {
    Path path = write(dir, "back.csv", BACKWARDS_CSV);
    assertThatThrownBy(() -> read(Fixtures.file(path)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(path + ":6: session_id 'a' goes back in time: arrival_ms 900 is before 1000, "
            + "the arrival of its previous row (line 2); a session's rows must be its turns in "
            + "arrival order");
  }

  @Test
  void sessionGoingBackInTime_isFatalEvenWithSkipAndKeep() {
    Path path = write(dir, "back.csv", BACKWARDS_CSV);
    FileTraceSource lenient = new FileTraceSource(path, ReadOptions.defaults()
        .withOnBadRow(OnBadRow.SKIP).withOnUnordered(OnUnordered.KEEP));
    assertThatThrownBy(() -> read(lenient))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(path + ":6: session_id 'a' goes back in time");
    FileTraceSource sorted = new FileTraceSource(path, ReadOptions.defaults()
        .withOnUnordered(OnUnordered.SORT));
    assertThatThrownBy(() -> read(sorted))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(path + ":6: session_id 'a' goes back in time");
  }

  @Test
  void sessionGoingBackInTime_isoTimesInMessage() {
    ColumnMapping iso = ColumnMapping.poolbench().withArrival("ts", ArrivalUnit.ISO);
    Path path = write(dir, "iso.jsonl",
        "{\"ts\":\"2024-05-10T12:00:01.5Z\",\"prompt_tokens\":1,\"output_tokens\":1,"
            + "\"session_id\":7}\n"
            + "{\"ts\":\"2024-05-10T12:00:01Z\",\"prompt_tokens\":1,\"output_tokens\":1,"
            + "\"session_id\":7}\n");
    FileTraceSource source = new FileTraceSource(path, ReadOptions.defaults().withColumns(iso)
        .withOnUnordered(OnUnordered.KEEP));
    assertThatThrownBy(() -> read(source))
        .isInstanceOf(BadInputException.class)
        .hasMessage(path + ":2: session_id '7' goes back in time: ts 2024-05-10T12:00:01Z is "
            + "before 2024-05-10T12:00:01.500Z, the arrival of its previous row (line 1); a "
            + "session's rows must be its turns in arrival order");
  }

  @Test
  void sessionWithEqualTimes_isFine() {
    List<TraceRequest> r = readFile("eq.csv", CSV_HEADER + "5,600,1,a,,\n5,1200,1,a,,\n");
    assertThat(r.get(1).prefixHashes()).startsWith(r.get(0).prefixHashes());
  }
}
