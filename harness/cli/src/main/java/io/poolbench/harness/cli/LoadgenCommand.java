package io.poolbench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolbench.loadgen.Api;
import io.poolbench.loadgen.LoadRun;
import io.poolbench.loadgen.LoadgenSettings;
import io.poolbench.loadgen.metrics.EngineEndpoint;
import io.poolbench.loadgen.RequestFactory;
import io.poolbench.loadgen.VllmResultJson;
import io.poolbench.loadgen.http.ConnectionFailure;
import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.LatencySummary;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.reports.rundir.ToolLag;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.TokenizerKind;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench loadgen}: open-loop replay of a trace against real endpoints. */
@Command(
    name = "loadgen",
    header = "Replay a trace open-loop against OpenAI-compatible endpoints or a router.",
    description = {
      "Sends every row of the trace at its planned time, whatever the responses do, with a "
          + "prompt of exactly the row's token count (real BPE tokenizer) and max_tokens from the "
          + "row's output budget with ignore_eos. Latencies count from each row's planned send "
          + "time (no coordinated omission); send-relative latencies, send lag and the achieved "
          + "rate are reported beside them in loadgen.json. The loadgen's own send lag, CPU "
          + "and GC are in summary.json and on the console, with a warning when the lag p99 "
          + "exceeds max(1 ms, 1%% of TTFT p50). A target that refuses connections exits 4.",
      "Every row ends in exactly one outcome: ok, rejected_context, rejected_overload, "
          + "engine_failure, timeout, client_error, transport_error or not_sent. Ctrl-C stops "
          + "sending; unsent rows become not_sent and the run directory is still written.",
      "Writes a run directory: run.json, summary.json, latency.hlog, requests.csv.gz, "
          + "loadgen.json."
    })
final class LoadgenCommand implements Callable<Integer> {

  @Option(names = "--trace", paramLabel = "<source>", required = true,
      description = "The trace: a file path, or builtin:<name>[?key=value&...].")
  String traceSource;

  @Mixin TraceOptions trace;

  @Option(names = "--target", paramLabel = "<url>[,<url>...]", required = true, split = ",",
      description = "Base URLs of the endpoints or of a router, e.g. http://127.0.0.1:8000; "
          + "rows go round-robin across several.")
  List<String> targets;

  @Option(names = "--self-timed",
      description = "Send at the trace's own timestamps (the default when --request-rate is absent).")
  boolean selfTimed;

  @Option(names = "--api", paramLabel = "<api>", defaultValue = "completions",
      description = "completions (POST /v1/completions) or chat (POST /v1/chat/completions). "
          + "Default: ${DEFAULT-VALUE}.")
  String api;

  @Option(names = "--model", paramLabel = "<name>",
      description = "The model field. Default: the first model the first target lists at /v1/models.")
  String model;

  @Option(names = "--api-key-env", paramLabel = "<VAR>",
      description = "An environment variable whose value is sent as 'Authorization: Bearer'.")
  String apiKeyEnv;

  @Option(names = "--max-concurrency", paramLabel = "<n>", defaultValue = "0",
      description = "At most this many requests in flight; waiting for a slot counts in the "
          + "latencies (0: no cap, pure open loop). Default: ${DEFAULT-VALUE}.")
  String maxConcurrency;

  @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "10m",
      description = "Longest silence allowed before the response head or between stream chunks. "
          + "Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(names = "--connect-timeout", paramLabel = "<duration>", defaultValue = "10s",
      description = "Time allowed to open a connection. Default: ${DEFAULT-VALUE}.")
  String connectTimeout;

  @Option(names = "--goodput", paramLabel = "<metric:ms>", split = " |,",
      description = "The SLO goodput counts against, as vllm bench serve writes it, e.g. "
          + "--goodput ttft:2000 --goodput tpot:80. Default: ttft:2000 tpot:80.")
  List<String> goodput = new ArrayList<>();

  @Option(names = "--gpus", paramLabel = "<n|pool=n,...>",
      description = "GPUs behind the targets, for per-GPU throughput and goodput: a number when "
          + "there is one pool, else pool=n pairs.")
  String gpus;

  @Option(names = "--pools", paramLabel = "<name>[,<name>...]", split = ",",
      description = "Attribute responses to these pools by the router's x-poolbench-pool header. "
          + "Default: one pool per target.")
  List<String> pools = new ArrayList<>();

  @Option(names = "--scrape-metrics", paramLabel = "[<pool>=]<url>[,...]", split = ",",
      description = "Engines (vLLM base URLs) whose /metrics are read when the measured window "
          + "opens, every --hlog-interval, and at the end: summary.json then counts the increase "
          + "of vllm:num_preemptions_total per pool (without this flag preemptions are unknown, "
          + "null), and engine-metrics.csv gets running, waiting and KV-cache usage per engine. "
          + "Name the pool of each engine as pool=url, unless the run has one pool or the URL is "
          + "itself a --target.")
  List<String> scrapeMetrics = new ArrayList<>();

  @Option(names = "--category", paramLabel = "<category>", defaultValue = "prose",
      description = "Content of prompts for rows without a category: prose, code, cjk or json. "
          + "Default: ${DEFAULT-VALUE}.")
  String category;

  @Option(names = "--tokenizer", paramLabel = "<name>", defaultValue = "cl100k_base",
      description = "The tokenizer prompt lengths are exact under: cl100k_base or o200k_base. "
          + "Default: ${DEFAULT-VALUE}.")
  String tokenizer;

  @Option(names = "--no-stream", description = "Ask for whole (non-streamed) responses.")
  boolean noStream;

  @Option(names = "--no-ignore-eos",
      description = "Do not send ignore_eos: the server may stop before max_tokens.")
  boolean noIgnoreEos;

  @Option(names = "--shard", paramLabel = "<i/n>", defaultValue = "0/1",
      description = "Replay only rows whose index is i modulo n (for running n loadgens; merge "
          + "their run directories afterwards). Default: ${DEFAULT-VALUE}.")
  String shard;

  @Option(names = "--max-connections", paramLabel = "<n>", defaultValue = "4096",
      description = "Connections the client may open in all (keep-alive, reused). More requests in "
          + "flight wait inside the client for a connection, and that wait counts in their "
          + "latency. Raise it to hold more concurrent streams. Default: ${DEFAULT-VALUE}.")
  String maxConnections;

  @Option(names = "--warmup", paramLabel = "<duration>", defaultValue = "0s",
      description = "Rows due in this first stretch of the plan are sent but left out of the "
          + "figures (their outcomes are counted apart in loadgen.json), e.g. 10s. "
          + "Default: ${DEFAULT-VALUE}.")
  String warmup;

  @Option(names = "--io-threads", paramLabel = "<n>",
      description = "HTTP client I/O threads. Default: one per core.")
  String ioThreads;

  @Option(names = "--status-interval", paramLabel = "<duration>", defaultValue = "5s",
      description = "How often to print a status line on stderr (0s: never). Default: ${DEFAULT-VALUE}.")
  String statusInterval;

  @Option(names = "--hlog-interval", paramLabel = "<duration>", defaultValue = "1s",
      description = "Interval of latency.hlog. Default: ${DEFAULT-VALUE}.")
  String hlogInterval;

  @Option(names = "--percentile-metrics", paramLabel = "<m>[,<m>...]", split = ",",
      defaultValue = "ttft,tpot,itl,e2e",
      description = "Metrics of the final table: ttft, tpot, itl, e2e, queue. Default: ${DEFAULT-VALUE}.")
  List<String> percentileMetrics;

  @Option(names = "--metric-percentiles", paramLabel = "<p>[,<p>...]", split = ",",
      defaultValue = "50,90,99",
      description = "Percentiles of the final table: any of 50, 90, 99, 99.9, 100. Default: ${DEFAULT-VALUE}.")
  List<String> metricPercentiles;

  @Option(names = "--vllm-json", paramLabel = "<file>",
      description = "Also write the run in vllm bench serve's --save-result JSON layout.")
  Path vllmJson;

  @Option(names = {"-o", "--output"}, paramLabel = "<rundir>", required = true,
      description = "The run directory to write (created if missing).")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (selfTimed && trace.requestRate != null) {
      throw new BadInputException("--self-timed and --request-rate exclude each other: the first "
          + "keeps the trace's own timestamps, the second re-times them");
    }
    List<URI> urls = targets.stream().map(LoadgenCommand::url).toList();
    Api chosenApi = Api.named(api);
    TraceSource source = trace.resolve(traceSource);
    long seed = Quantities.longAtLeast(trace.seed, Long.MIN_VALUE, "--seed");
    String[] shardParts = shard.split("/");
    if (shardParts.length != 2) {
      throw new BadInputException("Bad --shard '" + shard + "': expected i/n with 0 <= i < n, e.g. 0/4");
    }
    int shardIndex = (int) Quantities.longAtLeast(shardParts[0], 0, "--shard index");
    int shardCount = (int) Quantities.longAtLeast(shardParts[1], 1, "--shard count");
    if (shardIndex >= shardCount) {
      throw new BadInputException("Bad --shard '" + shard + "': expected i/n with 0 <= i < n, e.g. 0/4");
    }
    String apiKey = null;
    if (apiKeyEnv != null) {
      apiKey = System.getenv(apiKeyEnv);
      if (apiKey == null || apiKey.isEmpty()) {
        throw new BadInputException("--api-key-env " + apiKeyEnv + ": that environment variable is not set");
      }
    }
    String modelName = model != null ? model : firstModel(urls.get(0), apiKey);
    LoadgenSettings settings = new LoadgenSettings(urls, pools, gpuMap(urls), chosenApi, modelName,
        !noStream, !noIgnoreEos,
        (int) Quantities.longAtLeast(maxConcurrency, 0, "--max-concurrency"),
        Duration.ofNanos(Quantities.durationNanos(connectTimeout, "--connect-timeout")),
        Duration.ofNanos(Quantities.durationNanos(timeout, "--timeout")), slo(), apiKey,
        ioThreads == null ? Runtime.getRuntime().availableProcessors()
            : (int) Quantities.longAtLeast(ioThreads, 1, "--io-threads"),
        Duration.ofNanos(Quantities.durationNanos(hlogInterval, "--hlog-interval")),
        Duration.ofNanos(Quantities.durationNanos(statusInterval, "--status-interval")),
        shardIndex, shardCount,
        (int) Quantities.longAtLeast(maxConnections, 1, "--max-connections"),
        Duration.ofNanos(Quantities.durationNanos(warmup, "--warmup")));
    settings = settings.withScrapeMetrics(engineEndpoints(settings.poolNames()));
    List<LatencyMetric> metrics = percentileMetrics.stream().map(LoadgenCommand::metric).toList();
    List<Double> percentiles = metricPercentiles.stream().map(LoadgenCommand::percentile).toList();

    PromptSynthesizer prompts = new PromptSynthesizer(TokenizerKind.named(tokenizer), seed);
    RequestFactory factory = new RequestFactory(chosenApi, modelName, !noStream, !noIgnoreEos,
        ContentCategory.named(category), prompts);
    RunDirectory dir = RunDirectory.create(output);
    PrintStream status = System.err;
    LoadRun run = new LoadRun(settings, source, factory, dir, status);
    if (trace.duration != null) {
      run.plannedSpan(Duration.ofNanos(Quantities.durationNanos(trace.duration, "--duration")));
    }
    // On SIGTERM or Ctrl-C: stop sending, and keep the JVM alive until the run directory and the
    // summary are written (the hook waits for this command to finish).
    CountDownLatch commandDone = new CountDownLatch(1);
    Thread onSignal = new Thread(() -> {
      status.println("poolbench: stopping: unsent rows become not_sent; waiting for requests in flight");
      run.stop();
      try {
        commandDone.await(LoadRun.STOP_GRACE_SECONDS + 15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      String startedAt = Instant.now().toString();
      LoadRun.Result result = run.run();
      dir.writeRunInfo(runInfo(settings, source, seed, startedAt, result));
      if (vllmJson != null) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("backend", chosenApi == Api.CHAT ? "openai-chat" : "openai");
        meta.put("model_id", modelName);
        meta.put("tokenizer_id", tokenizer);
        meta.put("request_rate", trace.requestRate == null ? result.client().get("planned_rate_rps")
            : Quantities.positive(trace.requestRate, "--request-rate"));
        meta.put("burstiness", trace.burstiness == null ? 1.0 : Double.parseDouble(trace.burstiness));
        meta.put("max_concurrency", settings.maxConcurrency() == 0 ? null : settings.maxConcurrency());
        VllmResultJson.write(dir, vllmJson, meta, percentiles);
      }
      PrintWriter out = spec.commandLine().getOut();
      SummaryTable.print(out, result.summary(), metrics, percentiles,
        SummaryTable.PreemptionSource.ENGINE_METRICS);
      Map<String, Object> client = result.client();
      printToolLines(out, result.summary(), client);
      out.println("run directory: " + output);
      out.flush();
      String unreachable = unreachable(result.summary(), client);
      if (unreachable != null) {
        throw new UnreachableException(unreachable);
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running and waits for commandDone
      }
      commandDone.countDown();
    }
    return ExitCodes.OK;
  }

  /** The rate, the loadgen's own send lag and resource use, and the lag warning, with units. */
  static void printToolLines(PrintWriter out, Summary s, Map<String, Object> client) {
    out.printf(Locale.US, "rate: planned %.2f req/s, sent %.2f req/s%n",
        client.get("planned_rate_rps"), client.get("achieved_rate_rps"));
    out.println("send lag: " + ToolLag.describe(s, false));
    String use = ToolLag.describeUse(s.loadgen());
    if (use != null) {
      out.println("loadgen: " + use);
    }
    String warning = ToolLag.warning(s);
    if (warning != null) {
      out.println("poolbench: warning: " + warning);
    }
  }

  /**
   * Why the run says its target was unreachable (exit 4): requests were sent and every one ended
   * in a transport error; null otherwise.
   */
  static String unreachable(Summary s, Map<String, Object> client) {
    var r = s.requests();
    long sent = r.total() - r.notSent();
    if (sent == 0 || r.transportError() != sent) {
      return null;
    }
    Object problems = client.get("preflight_problems");
    String first = problems instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0))
        : "no request reached the target";
    return first + "; all " + sent + " requests sent ended in transport_error (the run directory "
        + "is written)";
  }

  private RunInfo runInfo(LoadgenSettings settings, TraceSource source, long seed, String startedAt,
      LoadRun.Result result) {
    List<RunInfo.Pool> fleet = new ArrayList<>();
    int totalGpus = 0;
    for (String pool : settings.poolNames()) {
      int g = settings.gpus().getOrDefault(pool, 0);
      totalGpus += g;
      fleet.add(new RunInfo.Pool(pool, settings.pools().isEmpty() ? 1 : 0, null, 0, g, settings.model(), null));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("trace_source", traceSource);
    config.put("targets", settings.targets().stream().map(URI::toString).toList());
    config.put("api", settings.api().toString());
    config.put("model", settings.model());
    config.put("stream", settings.stream());
    config.put("ignore_eos", settings.ignoreEos());
    config.put("max_concurrency", settings.maxConcurrency());
    config.put("max_connections", settings.maxConnections());
    config.put("timeout_s", settings.responseTimeout().toMillis() / 1000.0);
    config.put("request_rate", trace.requestRate);
    config.put("arrival", trace.arrival);
    config.put("duration", trace.duration);
    config.put("num_prompts", trace.numPrompts);
    config.put("category", category);
    config.put("tokenizer", tokenizer);
    config.put("shard", settings.shardIndex() + "/" + settings.shardCount());
    config.put("pools", settings.poolNames());
    config.put("scrape_metrics", settings.scrapeMetrics().stream()
        .map(e -> e.pool() + "=" + e.base()).toList());
    return new RunInfo("loadgen", VersionProvider.version(), VersionProvider.commit(), startedAt,
        seed, new RunInfo.Trace(source.name(), result.traceDigest(), result.plannedRows()), fleet,
        totalGpus, config, RunInfo.currentEnvironment());
  }

  private Map<String, Integer> gpuMap(List<URI> urls) {
    Map<String, Integer> map = new LinkedHashMap<>();
    if (gpus == null) {
      return map;
    }
    List<String> poolNames = pools.isEmpty()
        ? urls.stream().map(LoadgenSettings::label).distinct().toList() : pools;
    if (!gpus.contains("=")) {
      if (poolNames.size() != 1) {
        throw new BadInputException("--gpus " + gpus + ": with " + poolNames.size()
            + " pools, give GPUs per pool as pool=n,... (pools: " + String.join(", ", poolNames) + ")");
      }
      map.put(poolNames.get(0), (int) Quantities.longAtLeast(gpus, 0, "--gpus"));
      return map;
    }
    for (String pair : gpus.split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || !poolNames.contains(kv[0].strip())) {
        throw new BadInputException("Bad --gpus entry '" + pair + "': expected pool=n with pool one of "
            + String.join(", ", poolNames));
      }
      map.put(kv[0].strip(), (int) Quantities.longAtLeast(kv[1].strip(), 0, "--gpus " + kv[0]));
    }
    return map;
  }

  /** The --scrape-metrics entries with their pools. */
  private List<EngineEndpoint> engineEndpoints(List<String> poolNames) {
    List<EngineEndpoint> out = new ArrayList<>();
    for (String entry : scrapeMetrics) {
      String text = entry.strip();
      int eq = text.indexOf('=');
      String pool = null;
      if (eq > 0 && !text.substring(0, eq).contains(":")) {
        pool = text.substring(0, eq).strip();
        text = text.substring(eq + 1).strip();
      }
      URI base;
      try {
        base = url(text);
      } catch (BadInputException e) {
        throw new BadInputException("Bad --scrape-metrics entry '" + entry + "': expected "
            + "[pool=]http://host:port");
      }
      if (pool == null) {
        String label = LoadgenSettings.label(base);
        pool = poolNames.size() == 1 ? poolNames.get(0)
            : poolNames.contains(label) && pools.isEmpty() ? label : null;
        if (pool == null) {
          throw new BadInputException("Bad --scrape-metrics entry '" + entry + "': name its pool "
              + "as pool=url, pool one of " + String.join(", ", poolNames));
        }
      } else if (!poolNames.contains(pool)) {
        throw new BadInputException("Bad --scrape-metrics entry '" + entry + "': pool '" + pool
            + "' is not one of " + String.join(", ", poolNames));
      }
      out.add(new EngineEndpoint(pool, base));
    }
    return out;
  }

  private Summary.Slo slo() {
    double ttft = 2000;
    double tpot = 80;
    for (String item : goodput) {
      String[] kv = item.split(":", 2);
      if (kv.length != 2) {
        throw new BadInputException("Bad --goodput '" + item + "': expected metric:ms with metric ttft or tpot, e.g. ttft:2000");
      }
      double ms = Quantities.positive(kv[1], "--goodput " + kv[0]);
      switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
        case "ttft" -> ttft = ms;
        case "tpot" -> tpot = ms;
        default -> throw new BadInputException("Bad --goodput '" + item + "': expected metric ttft or tpot");
      }
    }
    return new Summary.Slo(ttft, tpot);
  }

  private static URI url(String text) {
    try {
      URI uri = URI.create(text.strip());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new BadInputException("Bad --target '" + text + "': expected an http(s) URL such as http://127.0.0.1:8000");
  }

  private static LatencyMetric metric(String name) {
    for (LatencyMetric m : LatencyMetric.values()) {
      if (m.tag().equalsIgnoreCase(name.strip())) {
        return m;
      }
    }
    throw new BadInputException("Unknown --percentile-metrics entry '" + name + "': expected ttft, tpot, itl, e2e or queue");
  }

  private static double percentile(String text) {
    double p = Quantities.positive(text, "--metric-percentiles");
    if (!LatencySummary.PERCENTILES.contains(p)) {
      throw new BadInputException("Unsupported --metric-percentiles entry '" + text
          + "': expected one of 50, 90, 99, 99.9, 100");
    }
    return p;
  }

  /** Asks the target which model it serves. */
  static String firstModel(URI target, String apiKey) {
    URI models = target.resolve((target.getPath().endsWith("/") ? target.getPath().substring(0, target.getPath().length() - 1) : target.getPath()) + "/v1/models");
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(models).timeout(Duration.ofSeconds(10)).GET();
      if (apiKey != null) {
        request.header("Authorization", "Bearer " + apiKey);
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode data = RunDirectory.mapper().readTree(response.body()).path("data");
      if (response.statusCode() == 200 && data.isArray() && !data.isEmpty()) {
        return data.get(0).path("id").asText();
      }
      throw new BadInputException("Could not find a model at " + models + " (HTTP "
          + response.statusCode() + "); pass --model");
    } catch (java.io.IOException e) {
      if (ConnectionFailure.isUnreachable(e)) {
        throw new UnreachableException(ConnectionFailure.describe(models, e), e);
      }
      throw new BadInputException("Could not ask " + models + " for its model ("
          + ConnectionFailure.describe(models, e) + "); pass --model", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInputException("Interrupted while asking " + models + " for its model", e);
    }
  }
}
