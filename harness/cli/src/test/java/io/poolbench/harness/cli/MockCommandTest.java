package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MockCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void flagsMode_printsOneLinePerInstanceAndStops() {
    int code = run("mock", "--instances", "2", "--max-model-len", "8192", "--pool", "short",
        "--port-base", "0", "--time-scale", "10", "--run-for", "200ms");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    String[] lines = out.toString().split("\n");
    assertThat(lines[0]).contains("2 instance(s), time scale 10.0");
    assertThat(lines[1]).matches("http://127\\.0\\.0\\.1:\\d+ pool=short model=llama-3-8b "
        + "max_model_len=8192 kv_blocks=\\d+ kv_tokens=\\d+ max_num_seqs=1024 .*");
    assertThat(lines[2]).startsWith("http://127.0.0.1:").contains("pool=short");
    assertThat(out.toString()).contains("poolbench mock: stopped");
    // warmed up by default, on a scratch instance, before the served ones listened
    assertThat(err.toString()).contains("warmed up on a scratch instance (32 requests answered");
  }

  @Test
  void fleetMode_servesEveryPoolsInstances(@TempDir Path dir) throws Exception {
    Path fleet = dir.resolve("fleet.yaml");
    Files.writeString(fleet, """
        name: two-pools
        model: llama-3-8b
        gpu: h100-80gb
        pools:
          - name: short
            instances: 2
            max-model-len: 8192
          - name: long
            instances: 1
            max-model-len: 65536
        faults:
          restart-s: 30
          at:
            - {at-s: 0.05, pool: short, instance: 1}
        """);

    int code = run("mock", "--no-warmup", "--fleet", fleet.toString(), "--port-base", "0", "--run-for",
        "1s");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).containsSubsequence("pool=short", "pool=short",
        "pool=long model=llama-3-8b max_model_len=65536", "will be killed in 0.1 s");
    assertThat(err.toString()).contains("engine died (fault planned in the fleet file); port "
        + "closes in 1.0 s, restart in 30.0 s");
  }

  @Test
  void portInUse_isOneLineNamingTheAddress_exit2() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      int code = run("mock", "--no-warmup", "--max-model-len", "4096", "--port", String.valueOf(port),
          "--run-for", "1s");

      assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(err.toString()).isEqualTo("poolbench: could not listen on 127.0.0.1:" + port
          + ": address already in use (another process listens there); choose a free "
          + "--port-base (0: any free ports) or --bind address\n");
      assertThat(out.toString()).isEmpty();
    }
  }

  @Test
  void noSource_isBadInput() {
    assertThat(run("mock", "--instances", "2")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("exactly one of --fleet");
  }

  @Test
  void badOutputLength_isBadInputNamingTheGrammar() {
    assertThat(run("mock", "--max-model-len", "4096", "--output-len", "weird:3", "--port-base",
        "0", "--run-for", "1ms")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("Output length 'weird:3'").contains("lognormal:MEDIAN");
  }
}
