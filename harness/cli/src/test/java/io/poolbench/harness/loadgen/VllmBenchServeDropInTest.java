package io.poolbench.harness.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.poolbench.harness.cli.ExitCodes;
import io.poolbench.harness.cli.Main;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.mock.OutputLengths;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.reports.rundir.RunDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code poolbench loadgen} as a drop-in for {@code vllm bench serve}: its flags with its values,
 * and a result file with every key vLLM's {@code vllm/benchmarks/serve.py} writes.
 */
class VllmBenchServeDropInTest {

  /**
   * The keys {@code vllm/benchmarks/serve.py} writes for a generation benchmark without ramp-up,
   * probes, speculative decoding or diffusion metrics, in its order: main_async's settings
   * (before the --metadata pairs: date .. num_prompts; after them: request_rate .. max_concurrency),
   * then benchmark()'s result dict.
   */
  static final List<String> SERVE_PY_SETTINGS_BEFORE_METADATA = List.of("date", "endpoint_type",
      "backend", "label", "model_id", "tokenizer_id", "num_prompts");
  static final List<String> SERVE_PY_SETTINGS_AFTER_METADATA = List.of("request_rate",
      "burstiness", "max_concurrency");
  static final List<String> SERVE_PY_RESULT = List.of("duration", "completed", "failed",
      "total_input_tokens", "total_output_tokens", "request_throughput", "request_goodput",
      "output_throughput", "total_token_throughput", "input_lens", "output_lens", "ttfts", "itls",
      "latencies", "start_times", "queue_times", "generated_texts", "errors",
      "max_output_tokens_per_s", "max_concurrent_requests", "rtfx");
  /** process_one_metric's keys per selected metric; p{N} for each --metric-percentiles value. */
  static final List<String> SERVE_PY_METRIC_KEYS = List.of("mean_%s_ms", "median_%s_ms",
      "std_%s_ms");
  /** What serve.py deletes without --save-detailed. */
  static final List<String> SERVE_PY_DETAILED_ONLY = List.of("input_lens", "output_lens",
      "start_times", "ttfts", "itls", "generated_texts", "errors");

  @TempDir Path dir;
  private MockServer mock;
  private HttpServer fake;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    if (mock != null) {
      mock.close();
    }
    if (fake != null) {
      fake.stop(0);
    }
  }

  private MockInstance startMock() {
    InstanceSpec spec = new InstanceSpec("pool", 0, "org/my-model",
        EngineConfig.of(16_384, 64, 4096, 8192), new AffinePerfModel(2_000_000L, 200_000L, 8192), 0);
    MockSettings settings = MockSettings.defaults().withTimeScale(2)
        .withOutputLengths(OutputLengths.parse("fixed:16")).withRestart(1_000_000_000L, 200_000_000L);
    mock = MockServer.start(settings, List.of(spec), line -> { });
    return mock.instances().get(0);
  }

  private int loadgen(String... extra) {
    List<String> args = new ArrayList<>(List.of("loadgen", "--status-interval", "0s"));
    args.addAll(List.of(extra));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  private static long successes(MockInstance instance) throws Exception {
    return instance.metricsText().get().lines()
        .filter(l -> l.startsWith("vllm:request_success_total{"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  @Test
  void saveResult_writesEveryServePyKey_withRealPerRequestItls_andWarmupsLeftOut() throws Exception {
    MockInstance instance = startMock();
    Path results = dir.resolve("results");
    Path run = dir.resolve("run");
    assertThat(loadgen("--trace", "builtin:azure-conv?seed=3", "--num-prompts", "30",
        "--request-rate", "20", "--burstiness", "0.5", "--max-output-tokens", "24",
        "--max-concurrency", "8", "--backend", "openai", "--base-url", instance.url(),
        "--num-warmups", "3", "--percentile-metrics", "ttft,tpot,itl,e2el",
        "--metric-percentiles", "95,99.5", "--save-result", "--save-detailed",
        "--result-dir", results.toString(), "--label", "drop-in",
        "--metadata", "version=0.3.3", "tp=1", "-o", run.toString()))
        .as(err.toString()).isEqualTo(ExitCodes.OK);

    // named as serve.py names it: <label>-<rate>qps-concurrency<n>-<model's last part>-<date>.json
    List<Path> files;
    try (Stream<Path> list = Files.list(results)) {
      files = list.toList();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString())
        .matches("drop-in-20\\.0qps-concurrency8-my-model-\\d{8}-\\d{6}\\.json");
    assertThat(out.toString()).contains("vllm bench serve result: " + files.get(0));
    String text = Files.readString(files.get(0));
    assertThat(text.lines().count()).as("one JSON line, as json.dump writes it").isEqualTo(1);
    JsonNode v = RunDirectory.mapper().readTree(text);

    // every key of serve.py, in serve.py's order
    List<String> expected = new ArrayList<>(SERVE_PY_SETTINGS_BEFORE_METADATA);
    expected.addAll(List.of("version", "tp"));
    expected.addAll(SERVE_PY_SETTINGS_AFTER_METADATA);
    expected.addAll(SERVE_PY_RESULT);
    for (String metric : List.of("ttft", "tpot", "itl", "e2el")) {
      SERVE_PY_METRIC_KEYS.forEach(k -> expected.add(k.formatted(metric)));
      expected.add("p95_" + metric + "_ms");
      expected.add("p99.5_" + metric + "_ms");
    }
    List<String> written = fieldNames(v);
    assertThat(written).containsSubsequence(expected);
    assertThat(written).containsAll(expected);
    assertThat(written).doesNotContain("mean_client_queue_time_ms", "p99_ttft_ms");

    assertThat(v.path("endpoint_type").asText()).isEqualTo("openai");
    assertThat(v.path("backend").asText()).isEqualTo("openai");
    assertThat(v.path("label").asText()).isEqualTo("drop-in");
    assertThat(v.path("version").asText()).isEqualTo("0.3.3");
    assertThat(v.path("tp").asText()).isEqualTo("1");
    assertThat(v.path("model_id").asText()).isEqualTo("org/my-model");
    assertThat(v.path("request_rate").asDouble()).isEqualTo(20.0);
    // --burstiness alone means gamma arrivals of that shape
    assertThat(v.path("burstiness").asDouble()).isEqualTo(0.5);
    assertThat(RunDirectory.open(run).readRunInfo().config()).containsEntry("arrival", "gamma");
    assertThat(v.path("max_concurrency").asInt()).isEqualTo(8);

    // the 3 warm-ups reached the server but nothing of them is in the result
    assertThat(successes(instance)).isEqualTo(33);
    assertThat(v.path("num_prompts").asInt()).isEqualTo(30);
    assertThat(v.path("completed").asInt()).isEqualTo(30);
    assertThat(v.path("failed").asInt()).isZero();
    JsonNode client = RunDirectory.mapper().readTree(run.resolve("loadgen.json").toFile());
    assertThat(client.path("num_warmups").asInt()).isEqualTo(3);
    assertThat(client.path("num_warmups_outcomes").path("ok").asInt()).isEqualTo(3);

    // per-request lists, one entry per request; itls are each request's own gaps
    for (String list : List.of("input_lens", "output_lens", "ttfts", "itls", "latencies",
        "start_times", "queue_times", "generated_texts", "errors")) {
      assertThat(v.path(list).size()).as(list).isEqualTo(30);
    }
    long totalOutput = 0;
    List<Double> allGaps = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int outputLen = v.path("output_lens").get(i).asInt();
      totalOutput += outputLen;
      JsonNode itl = v.path("itls").get(i);
      assertThat(outputLen).isPositive();
      assertThat(itl.size()).as("gaps of request %d", i).isEqualTo(outputLen - 1);
      double sum = 0;
      for (JsonNode gap : itl) {
        assertThat(gap.asDouble()).isGreaterThanOrEqualTo(0); // chunks read at once: ~0
        sum += gap.asDouble();
        allGaps.add(gap.asDouble());
      }
      double ttft = v.path("ttfts").get(i).asDouble();
      // first token plus every gap is the last token, which comes no later than the end
      assertThat(ttft + sum).isLessThanOrEqualTo(v.path("latencies").get(i).asDouble() + 1e-6);
      assertThat(v.path("errors").get(i).asText()).isEmpty();
      assertThat(v.path("queue_times").get(i).asDouble()).isGreaterThanOrEqualTo(0);
    }
    assertThat(v.path("total_output_tokens").asLong()).isEqualTo(totalOutput);
    // the statistics are those of the lists (numpy's median: the middle of the sorted values)
    double[] ttfts = doubles(v.path("ttfts"));
    Arrays.sort(ttfts);
    assertThat(v.path("median_ttft_ms").asDouble())
        .isCloseTo((ttfts[14] + ttfts[15]) / 2 * 1000, org.assertj.core.data.Offset.offset(1e-6));
    double[] gaps = allGaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    // gaps of chunks read at once are near 0, but the tokens do come over time
    assertThat(v.path("mean_itl_ms").asDouble()).isPositive();
    assertThat(v.path("mean_itl_ms").asDouble()).isCloseTo(
        Arrays.stream(gaps).average().orElseThrow() * 1000, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(v.path("p99.5_ttft_ms").asDouble())
        .isGreaterThanOrEqualTo(v.path("p95_ttft_ms").asDouble())
        .isLessThanOrEqualTo(ttfts[29] * 1000 + 1e-6);
    assertThat(v.path("max_concurrent_requests").asInt()).isBetween(1, 8);
    assertThat(v.path("max_output_tokens_per_s").asDouble()).isPositive();
    assertThat(v.path("rtfx").asDouble()).isZero();
    // the console table shows the same unusual percentiles
    assertThat(out.toString()).contains("p95").contains("p99.5");
  }

  @Test
  void appendResult_addsOneJsonLinePerRun_andWithoutSaveDetailedDropsServePysLists() throws Exception {
    MockInstance instance = startMock();
    Path file = dir.resolve("all.json");
    for (int i = 0; i < 2; i++) {
      assertThat(loadgen("--trace", "builtin:azure-conv?seed=4", "--num-prompts", "6",
          "--request-rate", "30", "--max-output-tokens", "8", "--base-url", instance.url(),
          "--append-result", "--result-dir", dir.toString(), "--result-filename", "all.json",
          "--metric-percentiles", "99", "-o", dir.resolve("run" + i).toString()))
          .as(err.toString()).isEqualTo(ExitCodes.OK);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      JsonNode v = RunDirectory.mapper().readTree(line);
      assertThat(v.path("completed").asInt()).isEqualTo(6);
      assertThat(fieldNames(v)).doesNotContainAnyElementsOf(SERVE_PY_DETAILED_ONLY)
          .contains("latencies", "queue_times", "p99_ttft_ms", "mean_e2el_ms")
          // --request-rate without --arrival or --burstiness keeps the trace's own shape
          .contains("burstiness");
      assertThat(v.path("latencies").size()).isEqualTo(6);
      assertThat(v.path("label").isNull()).isTrue();
      assertThat(v.path("burstiness").isNull()).isTrue();
    }
    // --vllm-json replaces its file
    Path once = dir.resolve("once.json");
    for (int i = 0; i < 2; i++) {
      assertThat(loadgen("--trace", "builtin:azure-conv?seed=4", "--num-prompts", "3",
          "--request-rate", "30", "--arrival", "poisson", "--max-output-tokens", "4",
          "--target", instance.url(), "--vllm-json", once.toString(),
          "-o", dir.resolve("once" + i).toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    }
    assertThat(Files.readAllLines(once)).hasSize(1);
    assertThat(RunDirectory.mapper().readTree(once.toFile()).path("burstiness").asDouble())
        .isEqualTo(1.0);
  }

  /** A tiny OpenAI-shaped server that records what it is sent and refuses the first POSTs. */
  private final ConcurrentLinkedQueue<Map<String, List<String>>> headersSeen = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> bodiesSeen = new ConcurrentLinkedQueue<>();
  private final AtomicInteger posts = new AtomicInteger();

  private String startFake(int refuseFirst) throws IOException {
    fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    fake.setExecutor(Executors.newFixedThreadPool(4));
    fake.createContext("/v1/models", x -> send(x, 200, "application/json",
        "{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\",\"object\":\"model\",\"root\":\"fake-model\"}]}"));
    fake.createContext("/v1/completions", x -> {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      headersSeen.add(Map.copyOf(x.getRequestHeaders()));
      bodiesSeen.add(body);
      if (posts.incrementAndGet() <= refuseFirst) {
        send(x, 503, "application/json", "{\"error\":{\"message\":\"not ready\",\"type\":"
            + "\"ServiceUnavailableError\",\"param\":null,\"code\":503}}");
        return;
      }
      StringBuilder sse = new StringBuilder();
      for (String piece : List.of("a", "b", "c")) {
        sse.append("data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,"
            + "\"text\":\"").append(piece).append("\",\"finish_reason\":null}],\"usage\":null}\n\n");
      }
      sse.append("data: {\"id\":\"cmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
          + "\"total_tokens\":8,\"completion_tokens\":3}}\n\ndata: [DONE]\n\n");
      send(x, 200, "text/event-stream; charset=utf-8", sse.toString());
    });
    fake.start();
    return "http://127.0.0.1:" + fake.getAddress().getPort();
  }

  private static void send(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", type);
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(bytes);
    }
  }

  @Test
  void headersExtraBodyAndSamplingReachTheServer_afterTheReadyCheckWaitedForIt() throws Exception {
    String url = startFake(2);
    Path run = dir.resolve("fake");
    assertThat(loadgen("--trace", "builtin:azure-conv?seed=5", "--num-prompts", "4",
        "--request-rate", "40", "--base-url", url, "--ready-check-timeout-sec", "30",
        "--header", "x-team=infra", "X-Run = 7", "--temperature", "0.7", "--top-p", "0.9",
        "--extra-body", "{\"top_k\": 20, \"max_tokens\": 3, \"temperature\": 0.2}",
        "-o", run.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
    // two refusals, the ready check's success, then the 4 rows
    assertThat(posts.get()).isEqualTo(7);
    assertThat(RunDirectory.open(run).readSummary().requests().ok()).isEqualTo(4);
    for (Map<String, List<String>> h : headersSeen) {
      assertThat(h.get("X-team")).containsExactly("infra");
      assertThat(h.get("X-run")).containsExactly("7");
    }
    ObjectMapper strict = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    for (String body : bodiesSeen) {
      JsonNode b = strict.readTree(body); // one field per name: extras replace ours
      assertThat(b.path("model").asText()).isEqualTo("fake-model");
      assertThat(b.path("top_p").asDouble()).isEqualTo(0.9);
      assertThat(b.path("top_k").asInt()).isEqualTo(20);
      assertThat(b.path("max_tokens").asInt()).isEqualTo(3);
      // --extra-body wins over --temperature, as in vllm bench serve
      assertThat(b.path("temperature").asDouble()).isEqualTo(0.2);
      assertThat(b.path("stream").asBoolean()).isTrue();
      assertThat(b.path("prompt").asText()).isNotEmpty();
    }
    // run.json keeps header names, not their values
    Map<String, Object> config = RunDirectory.open(run).readRunInfo().config();
    assertThat(config.get("header_names")).isEqualTo(List.of("x-team", "X-Run"));
  }

  @Test
  void readyCheck_givesUpAfterItsTimeout_withExitTwo() throws Exception {
    String url = startFake(Integer.MAX_VALUE);
    assertThat(loadgen("--trace", "builtin:azure-conv?seed=5", "--num-prompts", "2",
        "--request-rate", "40", "--base-url", url, "--ready-check-timeout-sec", "1",
        "-o", dir.resolve("never").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    // the last failure is HTTP 503, or no answer yet when the cutoff falls inside an attempt
    assertThat(err.toString()).startsWith("poolbench: --ready-check-timeout-sec 1: " + url
        + "/v1/completions did not answer a test request within 1 s (last: ");
    assertThat(posts.get()).isPositive();
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "--percentile-metrics foo => Unknown --percentile-metrics entry 'foo': expected ttft, tpot, "
          + "itl, e2el (or e2e), client_queue_time (or queue) or e2el_including_client_queue",
      "--metric-percentiles 95,101 => Bad --metric-percentiles entry '101': expected a percentile "
          + "between 0 and 100, like 99 or 99.5",
      "--header noequals => Bad --header 'noequals': expected KEY=VALUE, e.g. x-request-source=bench",
      "--header bad\\ name=1 => Bad --header name 'bad name': expected an HTTP header name "
          + "(letters, digits and !#$%&'*+-.^_`|~)",
      "--metadata =1 => Bad --metadata '=1': expected KEY=VALUE, e.g. version=0.3.3",
      "--burstiness 0 => --burstiness '0' is not a number > 0 (like 2.5 or 1_000)",
      "--burstiness 0.5 --arrival constant => --burstiness 0.5 does not fit --arrival constant: "
          + "burstiness is the gamma shape (1 is poisson, inf is constant); drop --arrival, or "
          + "use --arrival gamma",
      "--extra-body [1] => Bad --extra-body '[1]': expected a JSON object, e.g. '{\"top_k\": 20}'",
      "--temperature -1 => --temperature '-1' is not a number >= 0",
      "--top-p 1.5 => --top-p '1.5' is not a number in (0, 1]",
      "--backend tgi => Unsupported --backend 'tgi': expected openai or vllm (POST /v1/completions) "
          + "or openai-chat (POST /v1/chat/completions)",
      "--num-warmups -1 => --num-warmups '-1' is not a whole number >= 0 (digits, optionally "
          + "grouped like 1_000)",
      "--save-detailed => --save-detailed applies to the result JSON: add --save-result (or "
          + "--append-result, or --vllm-json <file>)",
      "--vllm-json x.json --result-filename y.json => --result-dir and --result-filename name the "
          + "--save-result file; with --vllm-json give the whole path there"})
  void badVllmFlagValues_exitTwoNamingTheValue(String flags, String message) {
    List<String> args = new ArrayList<>(List.of("--trace", "builtin:azure-conv", "--model", "m",
        "--target", "http://127.0.0.1:9", "-o", dir.resolve("bad").toString()));
    Iterator<String> words = Arrays.asList(flags.split("(?<!\\\\) ")).iterator();
    words.forEachRemaining(w -> args.add(w.replace("\\ ", " ")));
    assertThat(loadgen(args.toArray(String[]::new))).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: " + message + "\n");
    assertThat(dir.resolve("bad")).doesNotExist();
  }
}
