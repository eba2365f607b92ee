package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.config.RouterConfigs;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Kubernetes manifests in docs/k8s against what poolbench really does: every container runs
 * the project's image through its entrypoint (whose -Xmx follows the memory limit), with
 * arguments this CLI accepts; the Indexed Job passes one START_AT and its own index to every
 * shard; probes ask paths that the real mock and router answer with 200; Services, ports and the
 * router's configuration point at each other. (The Kubernetes API schemas are checked apart, by
 * .ci/k8s-schema, where npm is available.)
 */
class K8sManifestsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, String> KINDS = Map.of("Job", "batch/v1", "Deployment",
      "apps/v1", "Service", "v1", "ConfigMap", "v1");

  private static Path repo;
  private static final Map<String, JsonNode> OBJECTS = new LinkedHashMap<>(); // "Kind/name"

  @BeforeAll
  static void readManifests() throws Exception {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("docs/k8s")) && Files.isRegularFile(d.resolve("mvnw"))) {
        repo = d;
        break;
      }
    }
    assumeTrue(repo != null, "docs/k8s is not above " + Path.of("").toAbsolutePath());
    List<Path> files;
    try (Stream<Path> s = Files.list(repo.resolve("docs/k8s"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("loadgen-indexed-job.yaml", "router.yaml", "mock.yaml");
    for (Path f : files) {
      try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
        while (it.hasNext()) {
          JsonNode o = it.next();
          String kind = o.path("kind").asText();
          assertThat(KINDS).as(f + ": kind " + kind).containsKey(kind);
          assertThat(o.path("apiVersion").asText()).as(f + " " + kind).isEqualTo(KINDS.get(kind));
          String name = o.path("metadata").path("name").asText();
          assertThat(name).as(f + " " + kind).isNotEmpty();
          assertThat(OBJECTS.put(kind + "/" + name, o)).as("duplicate " + kind + "/" + name)
              .isNull();
        }
      }
    }
  }

  /** The image the Jib profile builds: poolbench:<project version>. */
  private static String projectImage() throws Exception {
    String pom = Files.readString(repo.resolve("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>poolbench-parent</artifactId>\\s*<version>([^<]+)"
        + "</version>").matcher(pom);
    assertThat(m.find()).isTrue();
    String cli = Files.readString(repo.resolve("harness/cli/pom.xml"));
    assertThat(cli).contains("<poolbench.image>poolbench:${project.version}</poolbench.image>");
    return "poolbench:" + m.group(1);
  }

  private static List<JsonNode> workloads() {
    return OBJECTS.values().stream()
        .filter(o -> o.path("kind").asText().matches("Job|Deployment")).toList();
  }

  private static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  private static List<JsonNode> containers() {
    List<JsonNode> out = new ArrayList<>();
    workloads().forEach(w -> podSpec(w).path("containers").forEach(out::add));
    return out;
  }

  private static List<String> args(JsonNode container, Map<String, String> vars) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : container.path("args")) {
      String s = a.asText();
      for (var v : vars.entrySet()) {
        s = s.replace("$(" + v.getKey() + ")", v.getValue());
      }
      out.add(s);
    }
    return out;
  }

  private static long bytes(String quantity) {
    Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
    assertThat(m.matches()).as("memory quantity " + quantity).isTrue();
    return Long.parseLong(m.group(1)) << (m.group(2).equals("Gi") ? 30 : 20);
  }

  @Test
  void everyContainer_runsTheProjectImageThroughItsEntrypoint_asNonRoot_withLimits()
      throws Exception {
    String image = projectImage();
    assertThat(workloads()).hasSize(3);
    for (JsonNode w : workloads()) {
      JsonNode pod = podSpec(w).path("securityContext");
      assertThat(pod.path("runAsNonRoot").asBoolean()).as(w.path("metadata") + "").isTrue();
      assertThat(pod.path("runAsUser").asInt()).isPositive();
      Map<String, JsonNode> volumes = new LinkedHashMap<>();
      podSpec(w).path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
      for (JsonNode c : podSpec(w).path("containers")) {
        String name = w.path("metadata").path("name").asText() + "/" + c.path("name").asText();
        assertThat(c.path("image").asText()).as(name).isEqualTo(image);
        // a `command` would bypass the entrypoint, and with it the heap rule
        assertThat(c.has("command")).as(name + " sets command").isFalse();
        JsonNode res = c.path("resources");
        assertThat(res.path("limits").path("memory").asText()).as(name)
            .isEqualTo(res.path("requests").path("memory").asText()).isNotEmpty();
        assertThat(res.path("requests").path("cpu").asText()).as(name).isNotEmpty();
        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean()
            && !sc.path("allowPrivilegeEscalation").asBoolean()).as(name).isTrue();
        assertThat(sc.path("capabilities").path("drop").toString()).as(name).contains("ALL");
        if (sc.path("readOnlyRootFilesystem").asBoolean()) {
          // the JVM and Netty's native library need a writable /tmp
          JsonNode tmp = null;
          for (JsonNode m : c.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/tmp")) {
              tmp = m;
            }
          }
          assertThat(tmp).as(name + " mounts /tmp").isNotNull();
          assertThat(volumes.get(tmp.path("name").asText()).has("emptyDir")).isTrue();
        }
      }
    }
  }

  @Test
  void everyContainersArguments_parseAsThisCli() {
    Map<String, String> vars = Map.of("START_AT", "2030-01-01T00:00:00Z",
        "JOB_COMPLETION_INDEX", "3");
    for (JsonNode c : containers()) {
      List<String> args = args(c, vars);
      assertThat(args).as(c.path("name").asText()).isNotEmpty();
      // throws on an unknown flag, a missing required one or a bad subcommand
      CommandLine.ParseResult r = Main.commandLine().parseArgs(args.toArray(String[]::new));
      assertThat(r.hasSubcommand()).isTrue();
      for (JsonNode e : c.path("env")) {
        String var = "$(" + e.path("name").asText() + ")";
        assertThat(c.path("args").toString()).as("env " + var + " is used").contains(var);
      }
    }
  }

  @Test
  void indexedJob_givesEveryShardItsIndexAndTheOneSharedStart() {
    JsonNode job = OBJECTS.get("Job/poolbench-loadgen");
    assertThat(job).isNotNull();
    JsonNode spec = job.path("spec");
    assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
    int n = spec.path("completions").asInt();
    assertThat(n).isGreaterThan(1);
    assertThat(spec.path("parallelism").asInt()).as("all shards at once").isEqualTo(n);
    assertThat(spec.path("backoffLimit").asInt()).as("no retried shards").isZero();
    JsonNode c = podSpec(job).path("containers").get(0);
    Map<String, JsonNode> env = new LinkedHashMap<>();
    c.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    assertThat(env).containsKeys("START_AT", "JOB_COMPLETION_INDEX");
    assertThat(env.get("START_AT").path("value").asText()).isNotEmpty();
    assertThat(env.get("JOB_COMPLETION_INDEX").path("valueFrom").path("fieldRef")
        .path("fieldPath").asText())
        .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    List<String> args = args(c, Map.of());
    assertThat(args.get(args.indexOf("--start-at") + 1)).isEqualTo("$(START_AT)");
    assertThat(args.get(args.indexOf("--shard") + 1)).isEqualTo("$(JOB_COMPLETION_INDEX)/" + n);
    String out = args.get(Math.max(args.indexOf("-o"), args.indexOf("--output")) + 1);
    assertThat(out).as("one run directory per shard").contains("$(JOB_COMPLETION_INDEX)");
    // every shard index parses, and the value the comment's sed puts in is a valid start
    for (int i = 0; i < n; i++) {
      Main.commandLine().parseArgs(args(c, Map.of("START_AT", "2030-01-01T00:00:00Z",
          "JOB_COMPLETION_INDEX", Integer.toString(i))).toArray(String[]::new));
    }
    assertThat(job.toString()).doesNotContain("Xmx");
    // the target is the router's Service
    String target = args.get(args.indexOf("--target") + 1);
    JsonNode routerService = OBJECTS.get("Service/poolbench-router");
    assertThat(target).isEqualTo("http://poolbench-router:"
        + routerService.path("spec").path("ports").get(0).path("port").asInt());
  }

  @Test
  void entrypointHeap_isThreeQuartersOfEachContainersMemoryLimit(@TempDir Path tmp)
      throws Exception {
    Path script = repo.resolve("harness/cli/src/main/image/opt/poolbench/bin/poolbench");
    assertThat(Files.isExecutable(script)).isTrue();
    Path jar = Files.createFile(tmp.resolve("poolbench.jar"));
    for (JsonNode c : containers()) {
      long limit = bytes(c.path("resources").path("limits").path("memory").asText());
      Files.writeString(tmp.resolve("memory.max"), limit + "\n");
      List<String> args = args(c, Map.of("START_AT", "1", "JOB_COMPLETION_INDEX", "0"));
      String line = dryRun(script, tmp, jar, Map.of(), args);
      assertThat(line).as(c.path("name").asText())
          .startsWith("java " + (args.get(0).equals("router") ? "-XX:+UseSerialGC " : "")
              + "-Xmx" + (limit * 3 / 4 >> 20) + "m -jar " + jar + " " + args.get(0));
    }
    // no limit: no -Xmx; a heap size of the user's wins; another share on request
    Files.writeString(tmp.resolve("memory.max"), "max\n");
    assertThat(dryRun(script, tmp, jar, Map.of(), List.of("mock")))
        .isEqualTo("java -jar " + jar + " mock");
    Files.writeString(tmp.resolve("memory.max"), (2L << 30) + "\n");
    assertThat(dryRun(script, tmp, jar, Map.of("POOLBENCH_JAVA_OPTS", "-Xmx300m"),
        List.of("mock"))).isEqualTo("java -Xmx300m -jar " + jar + " mock");
    assertThat(dryRun(script, tmp, jar, Map.of("POOLBENCH_HEAP_PERCENT", "50"), List.of("mock")))
        .isEqualTo("java -Xmx1024m -jar " + jar + " mock");
  }

  private static String dryRun(Path script, Path cgroup, Path jar, Map<String, String> env,
      List<String> args) throws Exception {
    String sh = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(d -> Path.of(d, "sh")).filter(Files::isExecutable).map(Path::toString).findFirst()
        .orElse(null);
    assumeTrue(sh != null, "no sh on PATH");
    List<String> cmd = new ArrayList<>(List.of(sh, script.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    for (String k : List.of("JAVA_HOME", "POOLBENCH_JAVA_OPTS", "JAVA_TOOL_OPTIONS",
        "JDK_JAVA_OPTIONS", "POOLBENCH_HEAP_PERCENT")) {
      e.remove(k);
    }
    e.put("POOLBENCH_ENTRYPOINT_DRY_RUN", "1");
    e.put("POOLBENCH_CGROUP_ROOT", cgroup.toString());
    e.put("POOLBENCH_JAR", jar.toString());
    e.putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.strip();
  }

  @Test
  void servicesAndProbes_pointAtPortsAndPathsTheRealServersAnswer() throws Exception {
    // container ports by name and number, per workload; Services target them
    for (String app : List.of("poolbench-mock", "poolbench-router")) {
      JsonNode d = OBJECTS.get("Deployment/" + app);
      JsonNode svc = OBJECTS.get("Service/" + app);
      assertThat(d).as(app).isNotNull();
      assertThat(svc).as(app).isNotNull();
      assertThat(svc.path("spec").path("selector"))
          .isEqualTo(d.path("spec").path("selector").path("matchLabels"));
      assertThat(d.path("spec").path("template").path("metadata").path("labels").toString())
          .contains(svc.path("spec").path("selector").toString().replaceAll("[{}]", ""));
      Map<String, Integer> ports = new LinkedHashMap<>();
      podSpec(d).path("containers").forEach(c -> c.path("ports").forEach(p -> {
        ports.put(p.path("name").asText(), p.path("containerPort").asInt());
        ports.put(Integer.toString(p.path("containerPort").asInt()), p.path("containerPort").asInt());
      }));
      for (JsonNode p : svc.path("spec").path("ports")) {
        assertThat(ports).as(app + " targetPort").containsKey(p.path("targetPort").asText());
      }
      for (JsonNode c : podSpec(d).path("containers")) {
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          JsonNode get = c.path(probe).path("httpGet");
          assertThat(get.path("path").asText()).as(app + " " + probe).startsWith("/");
          assertThat(ports).as(app + " " + probe + " port").containsKey(get.path("port").asText());
        }
      }
    }
    // the mock containers' flags give the ports they declare
    JsonNode mock = OBJECTS.get("Deployment/poolbench-mock");
    List<InstanceSpec> specs = new ArrayList<>();
    Map<Integer, Integer> manifestPortToSpec = new LinkedHashMap<>();
    for (JsonNode c : podSpec(mock).path("containers")) {
      List<String> a = args(c, Map.of());
      int base = Integer.parseInt(a.get(a.indexOf("--port-base") + 1));
      int instances = Integer.parseInt(a.get(a.indexOf("--instances") + 1));
      int maxLen = Integer.parseInt(a.get(a.indexOf("--max-model-len") + 1));
      assertThat(a.get(a.indexOf("--bind") + 1)).isEqualTo("0.0.0.0");
      List<Integer> declared = new ArrayList<>();
      c.path("ports").forEach(p -> declared.add(p.path("containerPort").asInt()));
      for (int i = 0; i < instances; i++) {
        assertThat(declared).contains(base + i);
        manifestPortToSpec.put(base + i, specs.size());
        specs.add(new InstanceSpec(a.get(a.indexOf("--pool") + 1), i, "m",
            EngineConfig.of(maxLen, 16, 4096, 8192),
            new AffinePerfModel(2_000_000L, 200_000L, 8192), 0));
      }
    }
    // the router's file (ConfigMap) is one the router loads, listening on its container port,
    // with the mock Service's ports as endpoints
    String routerYaml = OBJECTS.get("ConfigMap/poolbench-router").path("data")
        .path("router.yaml").asText();
    ProxySettings parsed = RouterConfigs.resolve(RouterConfigs.parse(routerYaml, "router.yaml"),
        u -> { throw new AssertionError("max-model-len should be in the file"); });
    JsonNode router = OBJECTS.get("Deployment/poolbench-router");
    JsonNode routerContainer = podSpec(router).path("containers").get(0);
    assertThat(parsed.host()).isEqualTo("0.0.0.0");
    assertThat(parsed.port()).isEqualTo(routerContainer.path("ports").get(0)
        .path("containerPort").asInt());
    List<String> configPath = args(routerContainer, Map.of());
    String mountPath = routerContainer.path("volumeMounts").get(0).path("mountPath").asText();
    assertThat(configPath.get(configPath.indexOf("--config") + 1))
        .isEqualTo(mountPath + "/router.yaml");

    try (MockServer fleet = MockServer.start(MockSettings.defaults().withTimeScale(4), specs,
        line -> { })) {
      String local = routerYaml.replace("0.0.0.0:" + parsed.port(), "127.0.0.1:0");
      for (var e : manifestPortToSpec.entrySet()) {
        String inManifest = "http://poolbench-mock:" + e.getKey();
        assertThat(routerYaml).contains(inManifest);
        local = local.replace(inManifest, fleet.instances().get(e.getValue()).url());
      }
      assertThat(local).doesNotContain("poolbench-mock");
      ProxySettings settings = RouterConfigs.resolve(RouterConfigs.parse(local, "local"),
          u -> { throw new AssertionError(); });
      try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
          ProxyServer proxy = ProxyServer.start(settings)) {
        for (JsonNode c : podSpec(mock).path("containers")) {
          for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = c.path(probe).path("httpGet");
            String url = fleet.instances().get(manifestPortToSpec.get(get.path("port").asInt()))
                .url() + get.path("path").asText();
            assertThat(eventually200(http, url)).as("mock " + probe + " " + url).isEqualTo(200);
          }
        }
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          String url = proxy.url() + routerContainer.path(probe).path("httpGet").path("path")
              .asText();
          assertThat(eventually200(http, url)).as("router " + probe + " " + url).isEqualTo(200);
        }
      }
    }
  }

  /** GETs url until it answers 200 (the router's first health probes may still be running). */
  private static int eventually200(HttpClient http, String url) throws Exception {
    int status = -1;
    for (int i = 0; i < 100 && status != 200; i++) {
      status = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        Thread.sleep(100);
      }
    }
    return status;
  }
}
