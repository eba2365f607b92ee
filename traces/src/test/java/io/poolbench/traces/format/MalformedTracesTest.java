package io.poolbench.traces.format;

import static io.poolbench.traces.format.Fixtures.read;
import static io.poolbench.traces.format.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every problem trace-formats.md lists gets a clear outcome: an exact {@code file:line} message,
 * or (with skip) a count; never a crash or a silent loss.
 */
class MalformedTracesTest {
  private static final String AZURE_HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens\n";
  private static final String ROW = "2023-11-16 18:17:03.9799600,10,20\n";

  @TempDir Path dir;

  static Stream<Arguments> badRows() {
    return Stream.of(
        argumentSet("non-numeric prompt", "t.csv",
            AZURE_HEADER + ROW + "2023-11-16 18:17:04.0000000,abc,20\n" + ROW,
            "t.csv:3: ContextTokens 'abc' is not a non-negative integer"),
        argumentSet("negative output", "t.csv",
            AZURE_HEADER + ROW + "2023-11-16 18:17:04.0000000,10,-5\n" + ROW,
            "t.csv:3: GeneratedTokens '-5' is not a non-negative integer"),
        argumentSet("bad timestamp", "t.csv",
            AZURE_HEADER + ROW + "2023-11-16 25:17:04.0000000,10,5\n" + ROW,
            "t.csv:3: TIMESTAMP '2023-11-16 25:17:04.0000000' is not a timestamp like "
                + "2023-11-16 18:17:03.9799600 (optional T, fraction, Z or +HH:MM)"),
        argumentSet("missing column", "t.csv",
            AZURE_HEADER + ROW + "2023-11-16 18:17:04.0000000,10\n" + ROW,
            "t.csv:3: expected 3 columns but found 2 in '2023-11-16 18:17:04.0000000,10'"),
        argumentSet("truncated last row", "t.csv",
            AZURE_HEADER + ROW + ROW + "2023-11-16 18:17:0",
            "t.csv:4: truncated last row? expected 3 columns but found 1 in "
                + "'2023-11-16 18:17:0'"),
        argumentSet("truncated last number", "t.csv",
            AZURE_HEADER + ROW + ROW + "2023-11-16 18:17:05.0000000,10,",
            "t.csv:4: truncated last row? GeneratedTokens '' is not a non-negative integer"),
        argumentSet("burstgpt bad timestamp", "b.csv",
            "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n"
                + "1,ChatGPT,1,1,2,x\n-2,ChatGPT,1,1,2,x\n1,ChatGPT,1,1,2,x\n",
            "b.csv:3: Timestamp '-2' is not a non-negative number of seconds"),
        argumentSet("jsonl broken json", "p.jsonl",
            "{\"arrival_ms\":0,\"prompt_tokens\":1,\"output_tokens\":2}\n"
                + "{\"arrival_ms\":1,\"prompt_tokens\":1,\n"
                + "{\"arrival_ms\":2,\"prompt_tokens\":1,\"output_tokens\":2}\n",
            "p.jsonl:2: not valid JSON (Unexpected end-of-input within/between Object "
                + "entries)"),
        argumentSet("mooncake missing key", "m.jsonl",
            "{\"timestamp\":0,\"input_length\":1,\"output_length\":2}\n"
                + "{\"timestamp\":1,\"input_length\":1}\n"
                + "{\"timestamp\":2,\"input_length\":1,\"output_length\":2}\n",
            "m.jsonl:2: missing key \"output_length\""),
        argumentSet("mooncake fractional length", "m.jsonl",
            "{\"timestamp\":0,\"input_length\":1,\"output_length\":2}\n"
                + "{\"timestamp\":1,\"input_length\":1.5,\"output_length\":2}\n"
                + "{\"timestamp\":2,\"input_length\":1,\"output_length\":2}\n",
            "m.jsonl:2: input_length '1.5' is not a non-negative integer"),
        argumentSet("generic csv negative arrival", "g.csv",
            "arrival_ms,prompt_tokens,output_tokens\n0,1,2\n-1,1,2\n3,1,2\n",
            "g.csv:3: arrival_ms '-1' is not a non-negative number of ms"));
  }

  @ParameterizedTest
  @MethodSource("badRows")
  void badRow_failByDefault_namesFileLineAndProblem(String name, String text, String message) {
    Path path = write(dir, name, text);
    String expected = message.replaceFirst("^" + name, path.toString());
    assertThatThrownBy(() -> read(Fixtures.file(path)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(expected);
  }

  @ParameterizedTest
  @MethodSource("badRows")
  void badRow_skip_isCountedNotLost(String name, String text, String message) {
    FileTraceSource source = new FileTraceSource(write(dir, name, text),
        ReadOptions.defaults().withOnBadRow(OnBadRow.SKIP));
    List<TraceRequest> requests = read(source);
    assertThat(source.skippedRows()).isEqualTo(1);
    long lines = text.lines().filter(l -> !l.isBlank()).count();
    long headers = source.format().parser(ReadOptions.defaults()).hasHeader() ? 1 : 0;
    assertThat(requests.size() + source.skippedRows()).isEqualTo(lines - headers);
  }

  @Test
  void headerOnly_isAnEmptyTrace() {
    FileTraceSource source = Fixtures.file(write(dir, "h.csv", AZURE_HEADER));
    assertThat(read(source)).isEmpty();
    assertThat(source.skippedRows()).isZero();
  }

  @Test
  void emptyFile_cannotBeDetected() {
    Path path = write(dir, "e.csv", "\n  \n");
    assertThatThrownBy(() -> read(Fixtures.file(path)))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Empty trace file: e.csv has no header or rows");
  }

  @Test
  void blankLines_areNotRows() {
    FileTraceSource source = Fixtures.file(
        write(dir, "b.csv", "\n" + AZURE_HEADER + "\n" + ROW + "   \n\r\n" + ROW + "\n\n"));
    List<TraceRequest> requests = read(source);
    assertThat(requests).extracting(TraceRequest::sourceLine).containsExactly(4L, 7L);
    assertThat(source.skippedRows()).isZero();
  }

  @Test
  void noTrailingNewline_lastRowIsRead() {
    List<TraceRequest> requests =
        read(Fixtures.file(write(dir, "n.csv", AZURE_HEADER + ROW + ROW.strip())));
    assertThat(requests).hasSize(2);
  }

  @Test
  void badHeader_isNeverSkipped() {
    Path path = write(dir, "x.csv", "TIMESTAMP,Tokens\n" + ROW);
    FileTraceSource source = new FileTraceSource(path,
        ReadOptions.defaults().withFormat(TraceFormat.AZURE).withOnBadRow(OnBadRow.SKIP));
    assertThatThrownBy(() -> read(source))
        .isInstanceOf(BadInputException.class)
        .hasMessage(path + ":1: header 'TIMESTAMP,Tokens' is not an Azure trace header: "
            + "expected TIMESTAMP,ContextTokens,GeneratedTokens (optionally with NumImages)");
  }

  private static final String UNORDERED = AZURE_HEADER
      + "2023-11-16 18:00:10.0000000,1,1\n"
      + "2023-11-16 18:00:12.0000000,2,1\n"
      + "2023-11-16 18:00:11.5000000,3,1\n"
      + "2023-11-16 18:00:13.0000000,4,1\n";

  @Test
  void unordered_failByDefault() {
    Path path = write(dir, "u.csv", UNORDERED);
    assertThatThrownBy(() -> read(Fixtures.file(path)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(path + ":4: timestamp is 0.500 s earlier than the previous row's; use "
            + "--on-unordered keep (keep file order) or sort");
  }

  @Test
  void unordered_keep_keepsFileOrderAndRaisesTheEarlyArrival() {
    List<TraceRequest> requests = read(new FileTraceSource(write(dir, "u.csv", UNORDERED),
        ReadOptions.defaults().withOnUnordered(OnUnordered.KEEP)));
    assertThat(requests).extracting(TraceRequest::promptTokens).containsExactly(1, 2, 3, 4);
    assertThat(requests).extracting(TraceRequest::arrivalNanos)
        .containsExactly(0L, 2_000_000_000L, 2_000_000_000L, 3_000_000_000L);
  }

  @Test
  void unordered_sort_sortsByTimestamp() {
    String text = AZURE_HEADER + "2023-11-16 18:00:12.0000000,2,1\n"
        + "2023-11-16 18:00:10.0000000,1,1\n" + "2023-11-16 18:00:12.0000000,3,1\n";
    List<TraceRequest> requests = read(new FileTraceSource(write(dir, "u.csv", text),
        ReadOptions.defaults().withOnUnordered(OnUnordered.SORT)));
    assertThat(requests).extracting(TraceRequest::promptTokens).containsExactly(1, 2, 3);
    assertThat(requests).extracting(TraceRequest::arrivalNanos)
        .containsExactly(0L, 2_000_000_000L, 2_000_000_000L);
    assertThat(requests).extracting(TraceRequest::sourceLine).containsExactly(3L, 2L, 4L);
  }

  @Test
  void missingFile_saysCouldNotFind() {
    Path path = dir.resolve("nope.csv");
    assertThatThrownBy(() -> read(Fixtures.file(path)))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Could not find file: " + path);
  }

  @Test
  void truncatedGzip_isReportedAsCorrupt() throws IOException {
    Path whole = write(dir, "t.csv.gz", AZURE_HEADER + ROW.repeat(2000));
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.csv.gz");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> read(Fixtures.file(cut)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(cut + ": corrupt or truncated gzip data (Unexpected end of ZLIB input "
            + "stream)");
  }

  @Test
  void onBadRowAndOnUnordered_named_listValidNames() {
    assertThat(OnBadRow.named("SKIP")).isEqualTo(OnBadRow.SKIP);
    assertThatThrownBy(() -> OnBadRow.named("ignore"))
        .hasMessage("Unknown --on-bad-row 'ignore': expected one of fail, skip");
    assertThatThrownBy(() -> OnUnordered.named("x"))
        .hasMessage("Unknown --on-unordered 'x': expected one of fail, keep, sort");
  }
}
