package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./poolbench} launcher's JVM options, read with {@code POOLBENCH_LAUNCHER_DRY_RUN=1}
 * (which prints the java command instead of building or running), then started for real with
 * the CLI on the test class path, as the launcher would start the jar.
 */
class LauncherTest {

  private static Path launcher;
  private static String bash;

  @BeforeAll
  static void findBashAndLauncher() {
    bash = onPath("bash");
    assumeTrue(bash != null, "bash is not on PATH");
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("poolbench")) && Files.isRegularFile(d.resolve("mvnw"))) {
        launcher = d.resolve("poolbench");
        break;
      }
    }
    assumeTrue(launcher != null, "the poolbench launcher is not above " + Path.of("")
        .toAbsolutePath());
  }

  @Test
  void userHeapFlag_replacesTheRoutersFixedHeap_andTheJvmStarts() throws Exception {
    List<String> cmd = dryRun(Map.of("POOLBENCH_JAVA_OPTS", "-Xmx512m"), "router", "--help");

    List<String> jvm = jvmOptions(cmd);
    assertThat(jvm).containsExactly("-XX:+UseSerialGC", "-Xmx512m");
    assertThat(cmd.subList(cmd.size() - 4, cmd.size()))
        .containsExactly("-jar", launcher.getParent().resolve("harness/cli/target/poolbench.jar")
            .toString(), "router", "--help");
    // -Xms768m with -Xmx512m stopped the JVM before it ran anything
    Result r = runCli(cmd.get(0), jvm, "router", "--help");
    assertThat(r.code).as(r.output).isZero();
    assertThat(r.output).contains("Usage: poolbench router");
  }

  @Test
  void withoutHeapFlags_theRouterGetsItsFixedHeap() throws Exception {
    List<String> cmd = dryRun(Map.of(), "router", "--help");
    List<String> jvm = jvmOptions(cmd);
    assertThat(jvm).containsExactly("-XX:+UseSerialGC", "-Xms768m", "-Xmx768m", "-Xmn512m");
    Result r = runCli(cmd.get(0), jvm, "router", "--help");
    assertThat(r.code).as(r.output).isZero();
  }

  @Test
  void everyHeapFlagForm_countsAsSizingTheHeap() throws Exception {
    for (String flag : List.of("-Xms256m", "-Xmn64m", "-XX:MaxHeapSize=600m",
        "-XX:InitialHeapSize=300m", "-XX:NewSize=64m", "-XX:MaxNewSize=128m",
        "-XX:MaxRAMPercentage=50", "-XX:MinRAMPercentage=25", "-XX:InitialRAMPercentage=10")) {
      List<String> jvm = jvmOptions(dryRun(Map.of("POOLBENCH_JAVA_OPTS", "-Dx=1 " + flag),
          "router"));
      assertThat(jvm).as(flag).containsExactly("-XX:+UseSerialGC", "-Dx=1", flag);
    }
    // the JVM's own option variables size the heap too
    assertThat(jvmOptions(dryRun(Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75"),
        "router"))).containsExactly("-XX:+UseSerialGC");
    // a flag that merely starts alike is not a heap size
    assertThat(jvmOptions(dryRun(Map.of("POOLBENCH_JAVA_OPTS", "-XX:MaxMetaspaceSize=256m"),
        "router"))).containsExactly("-XX:+UseSerialGC", "-Xms768m", "-Xmx768m", "-Xmn512m",
        "-XX:MaxMetaspaceSize=256m");
  }

  @Test
  void routerOptsVariable_replacesTheDefaults_evenEmpty_andOtherCommandsGetNone()
      throws Exception {
    assertThat(jvmOptions(dryRun(Map.of("POOLBENCH_ROUTER_JAVA_OPTS", ""), "router")))
        .isEmpty();
    assertThat(jvmOptions(dryRun(Map.of("POOLBENCH_ROUTER_JAVA_OPTS", "-Xmx1g",
        "POOLBENCH_JAVA_OPTS", "-Xss2m"), "router"))).containsExactly("-Xmx1g", "-Xss2m");
    assertThat(jvmOptions(dryRun(Map.of("POOLBENCH_JAVA_OPTS", "-Xmx512m"), "mock", "a b")))
        .containsExactly("-Xmx512m");
  }

  /** The command the launcher would run, one list element per argument. */
  private static List<String> dryRun(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(bash, launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    for (String k : List.of("POOLBENCH_JAVA_OPTS", "POOLBENCH_ROUTER_JAVA_OPTS",
        "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
      e.remove(k);
    }
    e.put("JAVA_HOME", System.getProperty("java.home"));
    e.put("POOLBENCH_LAUNCHER_DRY_RUN", "1");
    e.putAll(env);
    Result r = run(pb);
    assertThat(r.code).as(r.output).isZero();
    List<String> words = shellWords(r.output.strip());
    assertThat(words.get(words.size() - args.length - 2)).isEqualTo("-jar");
    assertThat(words.subList(words.size() - args.length, words.size())).containsExactly(args);
    return words;
  }

  /** The JVM options: everything between the java binary and {@code -jar}. */
  private static List<String> jvmOptions(List<String> command) {
    return command.subList(1, command.lastIndexOf("-jar"));
  }

  /** Starts the CLI as the launcher would, with the test class path instead of the jar. */
  private static Result runCli(String java, List<String> jvm, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvm);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    return run(pb);
  }

  /** Splits printf %q output: words split on unescaped spaces, backslash escapes one char. */
  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
        any = true;
      } else if (c == ' ') {
        if (any) {
          words.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else if (c == '\'' && line.startsWith("''", i)) { // %q's empty argument
        i++;
        any = true;
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(w.toString());
    }
    return words;
  }

  private record Result(int code, String output) {}

  private static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
