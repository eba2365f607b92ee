package io.poolbench.traces.format;

import static io.poolbench.traces.format.Fixtures.file;
import static io.poolbench.traces.format.Fixtures.read;
import static io.poolbench.traces.format.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.format.generic.ArrivalUnit;
import io.poolbench.traces.format.generic.ColumnMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every format reads its fixture into the same requests; detection picks the right format. */
class TraceReadersTest {
  @TempDir Path dir;

  static Stream<Arguments> fixtures() {
    return Stream.of(
        argumentSet("azure 2023, no trailing newline", "a23.csv", TraceFormat.AZURE, """
            TIMESTAMP,ContextTokens,GeneratedTokens
            2023-11-16 18:17:03.9799600,4808,10
            2023-11-16 18:17:04.0319600,3180,8
            2023-11-16 18:17:05.9799601,12,0""".stripIndent()),
        argumentSet("azure 2024, +00:00 with 0 and 6 digits", "a24.csv", TraceFormat.AZURE, """
            TIMESTAMP,ContextTokens,GeneratedTokens
            2024-05-10 00:00:00+00:00,4808,10
            2024-05-10 00:00:00.052000+00:00,3180,8
            2024-05-10 00:00:02.000000100+00:00,12,0
            """),
        argumentSet("azure 2025 multimodal, gzip", "a25.csv.gz", TraceFormat.AZURE, """
            TIMESTAMP,NumImages,ContextTokens,GeneratedTokens
            2025-03-01T10:00:00.000000Z,0,4808,10
            2025-03-01T10:00:00.052000Z,2,3180,8
            2025-03-01T10:00:02.000000100Z,1,12,0
            """),
        argumentSet("burstgpt v1", "b1.csv", TraceFormat.BURSTGPT, """
            Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
            5,ChatGPT,4808,10,4818,Conversation log
            5.052,GPT-4,3180,8,3188,API log
            7.0000001,ChatGPT,12,0,12,Conversation log
            """),
        argumentSet("burstgpt v3, CRLF", "b3.csv", TraceFormat.BURSTGPT,
            "Timestamp,Session ID,Elapsed time,Model,Request tokens,Response tokens,"
                + "Total tokens,Log Type\r\n"
                + "5,s1,1.5,ChatGPT,4808,10,4818,Conversation log\r\n"
                + "5.052,s2,0.5,\"GPT-4, 32k\",3180,8,3188,API log\r\n"
                + "7.0000001,s1,2,ChatGPT,12,0,12,Conversation log\r\n"),
        argumentSet("mooncake", "m.jsonl", TraceFormat.MOONCAKE, """
            {"timestamp": 1000, "input_length": 4808, "output_length": 10, "hash_ids": [1,2,3]}
            {"timestamp": 1052, "input_length": 3180, "output_length": 8, "hash_ids": [1,2]}
            {"timestamp": 3000.0001, "input_length": 12, "output_length": 0, "hash_ids": [9]}
            """),
        argumentSet("poolbench jsonl", "p.jsonl", TraceFormat.JSONL, """
            {"arrival_ms":0,"prompt_tokens":4808,"output_tokens":10,"category":"code"}
            {"arrival_ms":52,"prompt_tokens":3180,"output_tokens":8,"max_tokens":64}
            {"arrival_ms":2000.0001,"prompt_tokens":12,"output_tokens":0}
            """),
        argumentSet("generic csv, default names, quoted", "g.csv", TraceFormat.CSV, """
            arrival_ms,prompt_tokens,output_tokens,category
            "0",4808,10,prose
            52,3180,8,"code, python"
            2000.0001,12,0,
            """));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void read_eachFormat_sameThreeRequests(String name, TraceFormat format, String text) {
    FileTraceSource source = file(write(dir, name, text));
    assertThat(source.format()).isEqualTo(format);
    List<TraceRequest> requests = read(source);
    assertThat(requests).extracting(TraceRequest::arrivalNanos)
        .containsExactly(0L, 52_000_000L, 2_000_000_100L);
    assertThat(requests).extracting(TraceRequest::promptTokens).containsExactly(4808, 3180, 12);
    assertThat(requests).extracting(TraceRequest::outputTokens).containsExactly(10, 8, 0);
    long first = format.parser(ReadOptions.defaults()).hasHeader() ? 2 : 1; // header is line 1
    assertThat(requests).extracting(TraceRequest::sourceLine)
        .containsExactly(first, first + 1, first + 2);
    assertThat(requests.get(0).location()).isEqualTo(source.name() + ":" + first);
  }

  @Test
  void read_jsonlHasNoHeader_linesStartAtOne() {
    List<TraceRequest> requests = read(file(write(dir, "p.jsonl", """
        {"arrival_ms":0,"prompt_tokens":1,"output_tokens":2}
        """)));
    assertThat(requests.get(0).sourceLine()).isEqualTo(1);
  }

  @Test
  void azure2025_numImages_isKept() {
    List<TraceRequest> requests = read(file(write(dir, "mm.csv.gz", """
        TIMESTAMP,NumImages,ContextTokens,GeneratedTokens
        2025-03-01T10:00:00Z,3,100,10
        """)));
    assertThat(requests.get(0).images()).isEqualTo(3);
  }

  @Test
  void burstGpt_zeroResponseTokens_isFlaggedNotDropped() {
    List<TraceRequest> requests = read(file(write(dir, "b.csv", """
        Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
        5,ChatGPT,100,0,100,Conversation log
        6,ChatGPT,100,20,120,Conversation log
        """)));
    assertThat(requests).extracting(TraceRequest::failedInSource).containsExactly(true, false);
  }

  @Test
  void mooncake_hashIdsAreKept() {
    List<TraceRequest> requests = read(file(write(dir, "m.jsonl.gz", """
        {"timestamp": 0, "input_length": 1025, "output_length": 5, "hash_ids": [46, 47, 9007199254740993]}
        """)));
    assertThat(requests.get(0).prefixHashes()).containsExactly(46, 47, 9007199254740993L);
  }

  @Test
  void mooncake_lineLongerThanTheReadBuffer_isReadWhole() {
    // 30,000 hashes make a ~200 KB line: the 64 KiB line buffer must grow, not split the row
    long[] hashes = java.util.stream.LongStream.range(1_000_000, 1_030_000).toArray();
    String ids = java.util.Arrays.stream(hashes).mapToObj(Long::toString)
        .collect(java.util.stream.Collectors.joining(","));
    List<TraceRequest> requests = read(file(write(dir, "long.jsonl",
        "{\"timestamp\":0,\"input_length\":15360000,\"output_length\":1,\"hash_ids\":["
            + ids + "]}\n{\"timestamp\":5,\"input_length\":1,\"output_length\":1}\n")));
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).prefixHashes()).containsExactly(hashes);
    assertThat(requests.get(1).arrivalNanos()).isEqualTo(5_000_000L);
  }

  @Test
  void poolbenchJsonl_optionalFields_areRead() {
    TraceRequest r = read(file(write(dir, "p.jsonl", """
        {"arrival_ms":0,"prompt_tokens":1,"output_tokens":2,"max_tokens":64,"category":"cjk","hash_ids":[5],"images":2,"failed_in_source":true,"extra":{"x":[1]}}
        """))).get(0);
    assertThat(r).isEqualTo(new TraceRequest(0, 1, 2, "cjk", 64, r.prefixHashes(), true, 2,
        r.sourceName(), 1));
    assertThat(r.prefixHashes()).containsExactly(5);
  }

  static Stream<Arguments> units() {
    return Stream.of(
        argumentSet("seconds", ArrivalUnit.S, "1.5", "2.25", 750_000_000L),
        argumentSet("microseconds", ArrivalUnit.US, "1000", "1500.5", 500_500L),
        argumentSet("nanoseconds", ArrivalUnit.NS, "10", "17", 7L),
        argumentSet("iso", ArrivalUnit.ISO, "2024-05-10T00:00:00Z", "2024-05-10T00:00:01.5Z",
            1_500_000_000L));
  }

  @ParameterizedTest
  @MethodSource("units")
  void genericCsv_mappedColumnsAndUnits(ArrivalUnit unit, String t1, String t2, long gap) {
    Path path = write(dir, "gw.csv", "ts,model,in,out,budget,kind\n"
        + t1 + ",m,10,20,30,code\n" + t2 + ",m,11,21,,prose\n");
    ColumnMapping mapping = ColumnMapping.poolbench().withArrival("ts", unit).withPrompt("in")
        .withOutput("out").withMaxTokens("budget").withCategory("kind");
    List<TraceRequest> requests =
        read(new FileTraceSource(path, ReadOptions.defaults().withColumns(mapping)));
    assertThat(requests).extracting(TraceRequest::arrivalNanos).containsExactly(0L, gap);
    assertThat(requests).extracting(TraceRequest::maxTokens)
        .containsExactly(30, TraceRequest.NO_MAX_TOKENS);
    assertThat(requests).extracting(TraceRequest::category).containsExactly("code", "prose");
  }

  @Test
  void genericJsonl_mappedKeys() {
    Path path = write(dir, "gw.jsonl", """
        {"t": "2024-05-10T00:00:00Z", "in": 10, "out": 20}
        {"t": "2024-05-10T00:00:02Z", "in": 11, "out": 21}
        """);
    ColumnMapping mapping = ColumnMapping.poolbench().withArrival("t", ArrivalUnit.ISO)
        .withPrompt("in").withOutput("out");
    List<TraceRequest> requests =
        read(new FileTraceSource(path, ReadOptions.defaults().withColumns(mapping)));
    assertThat(requests).extracting(TraceRequest::arrivalNanos)
        .containsExactly(0L, 2_000_000_000L);
  }

  @Test
  void forcedFormat_overridesDetection() {
    Path path = write(dir, "azure-named-trace.txt", """
        TIMESTAMP,ContextTokens,GeneratedTokens
        2023-11-16 18:17:03.9799600,1,2
        """);
    FileTraceSource forced =
        new FileTraceSource(path, ReadOptions.defaults().withFormat(TraceFormat.CSV));
    assertThatThrownBy(() -> read(forced))
        .isInstanceOf(BadInputException.class)
        .hasMessage(path + ":1: no column 'arrival_ms' in header "
            + "'TIMESTAMP,ContextTokens,GeneratedTokens'; name the right one with --arrival-column");
  }

  @Test
  void reopen_readsFromTheStartAgain() {
    FileTraceSource source = file(write(dir, "p.jsonl", """
        {"arrival_ms":0,"prompt_tokens":1,"output_tokens":2}
        {"arrival_ms":1,"prompt_tokens":3,"output_tokens":4}
        """));
    assertThat(read(source)).isEqualTo(read(source));
  }

  @Test
  void named_anyCase_orListsValidNames() {
    assertThat(TraceFormat.named("BurstGPT")).isEqualTo(TraceFormat.BURSTGPT);
    assertThatThrownBy(() -> TraceFormat.named("parquet"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Unknown trace format 'parquet': expected one of azure, burstgpt, mooncake, "
            + "csv, jsonl");
  }
}
