package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSources;
import io.poolbench.traces.format.ReadOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TraceSynthCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static List<TraceRequest> read(Path file) {
    try (Stream<TraceRequest> s = TraceSources.resolve(file.toString(), ReadOptions.defaults()).open()) {
      return s.toList();
    }
  }

  @Test
  void synth_writesAFileThatReadsBackAsTheSameWorkload() {
    Path csv = dir.resolve("conv.csv");
    Path jsonl = dir.resolve("mix.jsonl.gz");
    assertThat(run("trace", "synth", "builtin:azure-conv", "--rate", "20", "--duration", "2m",
        "--seed", "3", "-o", csv.toString())).isEqualTo(ExitCodes.OK);
    assertThat(run("trace", "synth", "long-mix", "--duration", "1m", "--long-share", "0.5",
        "-o", jsonl.toString())).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("requests of builtin:azure-conv (20.000 req/s for 2m, seed 3) to ");

    List<TraceRequest> conv = read(csv);
    List<TraceRequest> direct;
    try (Stream<TraceRequest> s = TraceSources.resolve("builtin:azure-conv?rate=20&duration=2m&seed=3", ReadOptions.defaults()).open()) {
      direct = s.toList();
    }
    assertThat(conv).hasSameSizeAs(direct);
    for (int i = 0; i < conv.size(); i++) {
      assertThat(conv.get(i).promptTokens()).isEqualTo(direct.get(i).promptTokens());
      assertThat(conv.get(i).outputTokens()).isEqualTo(direct.get(i).outputTokens());
      // Azure timestamps keep 100 ns ticks, relative to the first row
      assertThat(conv.get(i).arrivalNanos() - conv.get(0).arrivalNanos())
          .isCloseTo(direct.get(i).arrivalNanos() - direct.get(0).arrivalNanos(), org.assertj.core.data.Offset.offset(100L));
    }
    List<TraceRequest> mix = read(jsonl);
    assertThat(mix).isNotEmpty().anyMatch(r -> "long-prose".equals(r.category()));
  }

  @Test
  void synth_unknownWorkload_isExit2WithTheChoices() throws Exception {
    Path target = dir.resolve("x.csv");
    assertThat(run("trace", "synth", "azure-chat", "-o", target.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo(
        "poolbench: Unknown built-in workload 'azure-chat': expected one of azure-conv, azure-code, long-mix, shared-prefix, multi-turn"
            + System.lineSeparator());
    assertThat(Files.exists(target)).isFalse();
  }
}
