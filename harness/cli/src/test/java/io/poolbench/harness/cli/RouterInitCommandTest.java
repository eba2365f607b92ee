package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.config.RouterConfigs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RouterInitCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void shortAndLong_writeBothFiles_thatTheRouterLoads() throws Exception {
    int code = run("router", "init", "--short", "http://10.0.0.1:8000,http://10.0.0.2:8000",
        "--long", "https://vllm-long.internal", "--short-max-model-len", "8192",
        "--max-model-len", "65536", "--listen", "0.0.0.0:9000", "--out", dir.toString());

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("wrote " + dir.resolve("one-pool.yaml"))
        .contains("wrote " + dir.resolve("two-pools.yaml"))
        .contains("poolbench compare --router-configs " + dir.resolve("one-pool.yaml") + ","
            + dir.resolve("two-pools.yaml"));

    ProxySettings two = RouterConfigs.load(dir.resolve("two-pools.yaml"));
    assertThat(two.router().pools()).containsExactly(new PoolSpec("short", 8192, 512),
        new PoolSpec("long", 65536, 256));
    assertThat(two.endpoints()).containsExactly(
        List.of(URI.create("http://10.0.0.1:8000"), URI.create("http://10.0.0.2:8000")),
        List.of(URI.create("https://vllm-long.internal")));
    assertThat(two.router().policy()).isEqualTo("token-budget");
    assertThat(two.host()).isEqualTo("0.0.0.0");
    assertThat(two.port()).isEqualTo(9000);

    ProxySettings one = RouterConfigs.load(dir.resolve("one-pool.yaml"));
    assertThat(one.router().pools()).containsExactly(new PoolSpec("all", 65536, 768));
    assertThat(one.endpoints()).containsExactly(List.of(URI.create("http://10.0.0.1:8000"),
        URI.create("http://10.0.0.2:8000"), URI.create("https://vllm-long.internal")));
    assertThat(one.router().policy()).isEqualTo("single");
  }

  @Test
  void everyKeyIsExplainedByACommentAboveOrBesideIt() throws Exception {
    assertThat(run("router", "init", "--short", "http://127.0.0.1:8001", "--long",
        "http://127.0.0.1:8002", "-o", dir.toString())).as(err.toString()).isZero();
    for (String name : List.of("one-pool.yaml", "two-pools.yaml")) {
      List<String> lines = Files.readAllLines(dir.resolve(name));
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String key = line.strip();
        if (key.isEmpty() || key.startsWith("#") || key.startsWith("- '")) {
          continue; // comments and endpoint URLs
        }
        assertThat(key).as(name + " line " + (i + 1)).matches("(- )?[a-z-]+:.*");
        // a comment on the line, directly above it, or above the first key of its block
        boolean explained = line.contains("#");
        for (int j = i - 1; j >= 0 && !explained; j--) {
          String above = lines.get(j).strip();
          if (above.startsWith("#")) {
            explained = true;
          } else if (above.isEmpty() || !indent(lines.get(j)).equals(indent(line))
              || above.startsWith("- ")) {
            break;
          }
        }
        if (!explained && key.startsWith("- name:")) {
          explained = lines.get(i - 1).strip().startsWith("#")
              || lines.get(i - 1).strip().equals("pools:") && lines.get(i - 2).startsWith("#");
        }
        assertThat(explained).as(name + " line " + (i + 1) + ": " + line).isTrue();
      }
    }
  }

  private static String indent(String line) {
    return line.substring(0, line.length() - line.stripLeading().length());
  }

  @Test
  void withoutMaxModelLen_theRouterReadsItFromTheEndpoint() throws Exception {
    // an engine that answers /v1/models as vLLM does
    HttpServer engine = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    engine.createContext("/v1/models", ex -> {
      byte[] body = """
          {"object":"list","data":[{"id":"m","object":"model","max_model_len":4096}]}"""
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    engine.start();
    try {
      String url = "http://127.0.0.1:" + engine.getAddress().getPort();
      assertThat(run("router", "init", "--endpoint", url, "--out", dir.toString()))
          .as(err.toString()).isZero();
      assertThat(dir.resolve("two-pools.yaml")).doesNotExist();
      assertThat(Files.readString(dir.resolve("one-pool.yaml")))
          .contains("# max-model-len: 65536");
      ProxySettings one = RouterConfigs.load(dir.resolve("one-pool.yaml"));
      assertThat(one.router().pools()).containsExactly(new PoolSpec("all", 4096, 256));
      assertThat(one.endpoints()).containsExactly(List.of(URI.create(url)));
    } finally {
      engine.stop(0);
    }
  }

  @Test
  void existingFile_isKeptWithoutForce_andNothingIsWritten() throws Exception {
    Path one = Files.writeString(dir.resolve("one-pool.yaml"), "mine\n");
    int code = run("router", "init", "--short", "http://127.0.0.1:8001", "--long",
        "http://127.0.0.1:8002", "--out", dir.toString());

    assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: router init: " + one + " exists; pass "
        + "--force to overwrite it (nothing was written)\n");
    assertThat(Files.readString(one)).isEqualTo("mine\n");
    assertThat(dir.resolve("two-pools.yaml")).doesNotExist();

    assertThat(run("router", "init", "--short", "http://127.0.0.1:8001", "--long",
        "http://127.0.0.1:8002", "--out", dir.toString(), "--force")).isZero();
    assertThat(Files.readString(one)).contains("name: all");
    assertThat(dir.resolve("two-pools.yaml")).exists();
  }

  @Test
  void badInput_exits2NamingTheValue() {
    assertThat(run("router", "init", "--short", "nope", "--long", "http://127.0.0.1:8002",
        "--out", dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("router init: --short: 'nope' is not a URL "
        + "(http://host:port or https://host[:port])");

    assertThat(run("router", "init", "--short", "http://127.0.0.1:8001", "--out",
        dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--short needs --long too");

    assertThat(run("router", "init", "--short", "http://127.0.0.1:8001", "--long",
        "http://127.0.0.1:8001/", "--out", dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--long http://127.0.0.1:8001 is given twice");

    assertThat(run("router", "init", "--short", "http://127.0.0.1:8001", "--long",
        "http://127.0.0.1:8002", "--short-max-model-len", "70000", "--max-model-len", "65536",
        "--out", dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--short-max-model-len 70000 must not exceed "
        + "--max-model-len 65536");

    assertThat(run("router", "init", "--endpoint", "http://127.0.0.1:8001", "--listen",
        "8000", "--out", dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("one-pool.yaml would not load, nothing was written: "
        + "listen: '8000' is not host:port");

    assertThat(run("router", "init", "--out", dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("give --short <url> and --long <url>");
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void routerWithoutConfig_isStillBadUsage() {
    assertThat(run("router")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: Missing required option: "
        + "'--config=<router.yaml>'");
  }
}
