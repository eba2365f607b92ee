package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RouterCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void badEndpoint_exits2_namingTheKeyPath() throws Exception {
    Path config = dir.resolve("router.yaml");
    Files.writeString(config, """
        pools:
          - {name: short, max-model-len: 8192, endpoints: [http://127.0.0.1:1]}
          - {name: long, max-model-len: 65536, endpoints: [not-a-url]}
        """);
    assertThat(run("router", "--config", config.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("pools[1].endpoints[0]: 'not-a-url' is not a URL");
  }

  @Test
  void badTlsCaFile_exits2_namingTheKeyPath() throws Exception {
    Path config = dir.resolve("router.yaml");
    Path pem = Files.writeString(dir.resolve("ca.pem"), "");
    Files.writeString(config, """
        pools:
          - {name: only, max-model-len: 8192, endpoints: [https://127.0.0.1:1]}
        tls: {ca-file: '%s'}
        """.formatted(pem));
    assertThat(run("router", "--config", config.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString().strip())
        .isEqualTo("poolbench: tls.ca-file: '" + pem + "' holds no PEM certificate");
  }

  @Test
  void goodConfig_listensThenStops() throws Exception {
    Path config = dir.resolve("router.yaml");
    Files.writeString(config, """
        listen: 127.0.0.1:0
        health: {probe-interval: 0}
        pools:
          - {name: only, max-model-len: 8192, endpoints: [http://127.0.0.1:9]}
        """);
    assertThat(run("router", "--config", config.toString(), "--run-for", "300ms"))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("poolbench router: listening on http://127.0.0.1:")
        .contains("pool only max_model_len=8192")
        .contains("load signals: /metrics every 500 ms (timeout 400 ms, stale after 2000 ms); "
            + "retries 1")
        .contains("stopped");
  }
}
