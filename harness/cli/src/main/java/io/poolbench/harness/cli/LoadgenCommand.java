package io.poolbench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.poolbench.loadgen.Api;
import io.poolbench.loadgen.LoadRun;
import io.poolbench.loadgen.LoadgenSettings;
import io.poolbench.loadgen.metrics.EngineEndpoint;
import io.poolbench.loadgen.RequestFactory;
import io.poolbench.loadgen.VllmResultJson;
import io.poolbench.reports.rundir.HlogTotals;
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
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
          + "loadgen.json.",
      "vllm bench serve's flags work here with its values (--backend, --base-url, "
          + "--percentile-metrics, --metric-percentiles, --burstiness, --num-warmups, --header, "
          + "--extra-body, sampling flags, --ready-check-timeout-sec, --save-result, "
          + "--save-detailed, --append-result, --result-dir, --result-filename, --label, "
          + "--metadata): see docs/vllm-bench.md."
    })
final class LoadgenCommand implements Callable<Integer> {

  @Option(names = "--trace", paramLabel = "<source>", required = true,
      description = "The trace: a file path, or builtin:<name>[?key=value&...].")
  String traceSource;

  @Mixin TraceOptions trace;

  @Option(names = {"--target", "--base-url"}, paramLabel = "<url>[,<url>...]", required = true,
      split = ",",
      description = "Base URLs of the endpoints or of a router, e.g. http://127.0.0.1:8000; "
          + "rows go round-robin across several. --base-url is vllm bench serve's name.")
  List<String> targets;

  @Option(names = "--self-timed",
      description = "Send at the trace's own timestamps (the default when --request-rate is absent).")
  boolean selfTimed;

  @Option(names = "--api", paramLabel = "<api>", defaultValue = "completions",
      description = "completions (POST /v1/completions) or chat (POST /v1/chat/completions). "
          + "Default: ${DEFAULT-VALUE}.")
  String api;

  @Option(names = "--backend", paramLabel = "<backend>",
      description = "vllm bench serve's name for the API: openai or vllm (completions), "
          + "openai-chat (chat). Written as backend and endpoint_type in the result JSON.")
  String backend;

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

  @Option(names = "--ignore-eos",
      description = "Send ignore_eos (the default; vllm bench serve's flag).")
  boolean ignoreEos;

  @Option(names = "--turn-answers", paramLabel = "actual|synthesized", defaultValue = "actual",
      description = "A row that continues an earlier one (its prefix ids start with all of the "
          + "earlier row's, as in builtin:multi-turn, Mooncake or a session_id column): actual "
          + "(default) puts the answer the server gave the earlier row into its prompt when that "
          + "row has finished by the later one's send time; synthesized keeps synthesized text "
          + "in its place. Arrivals stay the trace's either way. Default: ${DEFAULT-VALUE}.")
  String turnAnswers;

  @Option(names = "--disable-tqdm",
      description = "No status lines on stderr (vllm bench serve's flag; as --status-interval 0s).")
  boolean disableTqdm;

  @Option(names = "--shard", paramLabel = "<i/n>", defaultValue = "0/1",
      description = "Replay only rows whose index is i modulo n (for running n loadgens; merge "
          + "their run directories afterwards). Default: ${DEFAULT-VALUE}.")
  String shard;

  @Option(names = "--start-at", paramLabel = "<instant>",
      description = "Start barrier for shards: wait until this wall-clock instant before the "
          + "plan's t=0, so loadgens given the same value replay their shards in step (as far as "
          + "their clocks agree: keep them NTP-synced). An ISO-8601 instant such as "
          + "2026-05-01T12:00:00Z (or with an offset, +02:00) or epoch milliseconds. More than "
          + START_SLACK_SECONDS + " s in the past is exit 2. Default: start as soon as ready.")
  String startAt;

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
      description = "Metrics of the final table and of the result JSON: ttft, tpot, itl, e2el "
          + "(or e2e), client_queue_time (or queue), e2el_including_client_queue. "
          + "Default: ${DEFAULT-VALUE}.")
  List<String> percentileMetrics;

  @Option(names = "--metric-percentiles", paramLabel = "<p>[,<p>...]", split = ",",
      defaultValue = "50,90,99",
      description = "Percentiles of the final table and of the result JSON, any between 0 and "
          + "100, e.g. 95,99.5. Default: ${DEFAULT-VALUE}.")
  List<String> metricPercentiles;

  @Option(names = "--vllm-json", paramLabel = "<file>",
      description = "Also write the run to this file in vllm bench serve's result JSON layout "
          + "(as --save-result, at a path of your choosing).")
  Path vllmJson;

  @Option(names = "--save-result",
      description = "Write vllm bench serve's result JSON, named as it names it: "
          + "<label or backend>-<rate>qps[-concurrency<n>]-<model>-<yyyyMMdd-HHmmss>.json in "
          + "--result-dir (default: the current directory).")
  boolean saveResult;

  @Option(names = "--append-result",
      description = "Append the result JSON as one more line to the result file instead of "
          + "replacing it (implies --save-result).")
  boolean appendResult;

  @Option(names = "--save-detailed",
      description = "Keep the per-request lists in the result JSON: input_lens, output_lens, "
          + "start_times, ttfts, itls, generated_texts, errors.")
  boolean saveDetailed;

  @Option(names = "--result-dir", paramLabel = "<dir>",
      description = "Directory of the --save-result file (created if missing).")
  Path resultDir;

  @Option(names = "--result-filename", paramLabel = "<name>",
      description = "Name of the --save-result file instead of the generated one.")
  String resultFilename;

  @Option(names = "--label", paramLabel = "<label>",
      description = "The result JSON's label, and the prefix of its generated file name "
          + "(default: the backend).")
  String label;

  @Option(names = "--metadata", paramLabel = "<key=value>", arity = "1..*",
      description = "Pairs written as top-level keys of the result JSON and into run.json, "
          + "e.g. --metadata version=0.3.3 tp=1.")
  List<String> metadata = new ArrayList<>();

  @Option(names = "--header", paramLabel = "<key=value>", arity = "1..*",
      description = "Headers sent with every request, e.g. --header x-team=infra x-run=7 "
          + "(they replace the Authorization of --api-key-env). Only the names go into run.json.")
  List<String> header = new ArrayList<>();

  @Option(names = "--extra-body", paramLabel = "<json>",
      description = "A JSON object whose fields are added to every request body, replacing "
          + "poolbench's field of the same name, e.g. '{\"top_k\": 20}'.")
  String extraBody;

  @Option(names = "--temperature", paramLabel = "<t>",
      description = "Sampling temperature (>= 0). Default: 0 (vllm bench serve leaves it to the "
          + "server).")
  String temperature;

  @Option(names = "--top-p", paramLabel = "<p>", description = "Top-p sampling, in (0, 1].")
  String topP;

  @Option(names = "--top-k", paramLabel = "<k>", description = "Top-k sampling (-1: all).")
  String topK;

  @Option(names = "--min-p", paramLabel = "<p>", description = "Min-p sampling, in [0, 1].")
  String minP;

  @Option(names = "--frequency-penalty", paramLabel = "<x>", description = "Frequency penalty.")
  String frequencyPenalty;

  @Option(names = "--presence-penalty", paramLabel = "<x>", description = "Presence penalty.")
  String presencePenalty;

  @Option(names = "--repetition-penalty", paramLabel = "<x>", description = "Repetition penalty (> 0).")
  String repetitionPenalty;

  @Option(names = "--num-warmups", paramLabel = "<n>", defaultValue = "0",
      description = "Send <n> copies of the first request before the run (at most "
          + "--max-concurrency at once) and leave them out of every figure. Default: ${DEFAULT-VALUE}.")
  String numWarmups;

  @Option(names = "--ready-check-timeout-sec", paramLabel = "<s>", defaultValue = "0",
      description = "Before the run, retry the first request on every target (and the model "
          + "lookup) until it succeeds, for at most <s> seconds each; exit 2 if it does not "
          + "(0: no check). Default: ${DEFAULT-VALUE}.")
  String readyCheckTimeoutSec;

  @Option(names = {"-o", "--output"}, paramLabel = "<rundir>", required = true,
      description = "The run directory to write (created if missing).")
  Path output;

  @Spec CommandSpec spec;

  /** How far in the past a --start-at may be (a pod that started a little late) and still run. */
  static final int START_SLACK_SECONDS = 5;

  @Override
  public Integer call() throws Exception {
    if (ignoreEos && noIgnoreEos) {
      throw new BadInputException("--ignore-eos and --no-ignore-eos exclude each other");
    }
    if (selfTimed && trace.requestRate != null) {
      throw new BadInputException("--self-timed and --request-rate exclude each other: the first "
          + "keeps the trace's own timestamps, the second re-times them");
    }
    List<URI> urls = targets.stream().map(LoadgenCommand::url).toList();
    Api chosenApi = chosenApi();
    List<String> vllmMetrics = percentileMetrics.stream().map(LoadgenCommand::vllmMetric)
        .distinct().toList();
    List<LatencyMetric> metrics = vllmMetrics.stream().map(LoadgenCommand::metric).distinct().toList();
    List<Double> percentiles = metricPercentiles.stream().map(LoadgenCommand::percentile).toList();
    Map<String, String> headers = pairs(header, "--header", "x-request-source=bench");
    headers.keySet().forEach(LoadgenCommand::checkHeaderName);
    Map<String, String> meta = pairs(metadata, "--metadata", "version=0.3.3");
    Map<String, JsonNode> extra = extraBody();
    int warmups = (int) Quantities.longAtLeast(numWarmups, 0, "--num-warmups");
    long readySeconds = Quantities.longAtLeast(readyCheckTimeoutSec, 0, "--ready-check-timeout-sec");
    boolean writesResult = vllmJson != null || saveResult || appendResult;
    if (vllmJson != null && (resultDir != null || resultFilename != null)) {
      throw new BadInputException("--result-dir and --result-filename name the --save-result "
          + "file; with --vllm-json give the whole path there");
    }
    if (!writesResult && (saveDetailed || resultDir != null || resultFilename != null)) {
      throw new BadInputException((saveDetailed ? "--save-detailed" : resultDir != null
          ? "--result-dir" : "--result-filename") + " applies to the result JSON: add "
          + "--save-result (or --append-result, or --vllm-json <file>)");
    }
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
    Instant startInstant = startAt == null ? null : startInstant(startAt, Instant.now());
    String apiKey = null;
    if (apiKeyEnv != null) {
      apiKey = System.getenv(apiKeyEnv);
      if (apiKey == null || apiKey.isEmpty()) {
        throw new BadInputException("--api-key-env " + apiKeyEnv + ": that environment variable is not set");
      }
    }
    long readyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readySeconds);
    String modelName = model != null ? model
        : readySeconds > 0 ? firstModelWhenReady(urls.get(0), apiKey, readySeconds, readyDeadline)
        : firstModel(urls.get(0), apiKey);
    LoadgenSettings settings = new LoadgenSettings(urls, pools, gpuMap(urls), chosenApi, modelName,
        !noStream, !noIgnoreEos,
        (int) Quantities.longAtLeast(maxConcurrency, 0, "--max-concurrency"),
        Duration.ofNanos(Quantities.durationNanos(connectTimeout, "--connect-timeout")),
        Duration.ofNanos(Quantities.durationNanos(timeout, "--timeout")), slo(), apiKey,
        ioThreads == null ? Runtime.getRuntime().availableProcessors()
            : (int) Quantities.longAtLeast(ioThreads, 1, "--io-threads"),
        Duration.ofNanos(Quantities.durationNanos(hlogInterval, "--hlog-interval")),
        disableTqdm ? Duration.ZERO
            : Duration.ofNanos(Quantities.durationNanos(statusInterval, "--status-interval")),
        shardIndex, shardCount,
        (int) Quantities.longAtLeast(maxConnections, 1, "--max-connections"),
        Duration.ofNanos(Quantities.durationNanos(warmup, "--warmup")));
    settings = settings.withScrapeMetrics(engineEndpoints(settings.poolNames()))
        .withVllmBench(headers, warmups,
            Duration.ofSeconds(readySeconds), writesResult)
        .withActualAnswers(actualAnswers(turnAnswers));

    PromptSynthesizer prompts = new PromptSynthesizer(TokenizerKind.named(tokenizer), seed);
    RequestFactory factory = new RequestFactory(chosenApi, modelName, !noStream, !noIgnoreEos,
        ContentCategory.named(category), prompts, extra);
    RunDirectory dir = RunDirectory.create(output);
    PrintStream status = System.err;
    LoadRun run = new LoadRun(settings, source, factory, dir, status).startingAt(startInstant);
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
      dir.writeRunInfo(runInfo(settings, source, seed, startedAt, result, meta, extra));
      Path resultFile = null;
      if (writesResult) {
        double rate = trace.requestRate == null
            ? ((Number) result.client().get("planned_rate_rps")).doubleValue()
            : Quantities.positive(trace.requestRate, "--request-rate");
        String backendName = backendName(chosenApi);
        // a rate of the trace's own (not given) is named to two decimals
        double fileRate = trace.requestRate == null ? Math.round(rate * 100) / 100.0 : rate;
        resultFile = vllmJson != null ? vllmJson : resultFile(backendName, fileRate,
            settings.maxConcurrency(), modelName);
        Double shape = trace.burstinessValue();
        VllmResultJson.write(dir, resultFile, new VllmResultJson.Options(backendName, label,
            modelName, tokenizer, meta, rate,
            shape == null ? null : shape.isInfinite() ? "inf" : shape,
            settings.maxConcurrency() == 0 ? null : settings.maxConcurrency(), vllmMetrics,
            percentiles, saveDetailed, appendResult));
      }
      PrintWriter out = spec.commandLine().getOut();
      boolean unusual = percentiles.stream().anyMatch(p -> !LatencySummary.PERCENTILES.contains(p));
      SummaryTable.print(out, result.summary(), metrics, percentiles,
          SummaryTable.PreemptionSource.ENGINE_METRICS,
          unusual ? HlogTotals.read(dir.file(RunDirectory.LATENCY_HLOG)) : Map.of());
      Map<String, Object> client = result.client();
      printToolLines(out, result.summary(), client);
      out.println("run directory: " + output);
      if (resultFile != null) {
        out.println("vllm bench serve result: " + resultFile
            + (appendResult ? " (appended)" : ""));
      }
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
    if (client.get("conversations") instanceof Map<?, ?> turns
        && turns.get("continuations") instanceof Number n && n.longValue() > 0) {
      out.printf(Locale.US, "conversations: %d later turns: %s with the earlier turn's answer, "
              + "%s sent before it finished and %s after it failed (stand-in answer), %s without "
              + "its history (dropped to bound memory)%n", n.longValue(),
          turns.get("with_actual_answer"), turns.get("previous_not_finished"),
          turns.get("previous_failed"), turns.get("history_dropped"));
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
      LoadRun.Result result, Map<String, String> meta, Map<String, JsonNode> extra) {
    List<RunInfo.Pool> fleet = new ArrayList<>();
    int totalGpus = 0;
    int[] instances = LoadRun.instancesPerPool(settings);
    for (int i = 0; i < settings.poolNames().size(); i++) {
      String pool = settings.poolNames().get(i);
      int g = settings.gpus().getOrDefault(pool, 0);
      totalGpus += g;
      // 0: unknown (a router's endpoints the load generator does not see)
      fleet.add(new RunInfo.Pool(pool, Math.max(0, instances[i]), null, 0, g, settings.model(),
          null));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("trace_source", traceSource);
    config.put("slo", settings.slo());
    config.put("hlog_interval_s", settings.hlogInterval().toMillis() / 1000.0);
    config.put("targets", settings.targets().stream().map(URI::toString).toList());
    config.put("api", settings.api().toString());
    config.put("model", settings.model());
    config.put("stream", settings.stream());
    config.put("ignore_eos", settings.ignoreEos());
    config.put("max_concurrency", settings.maxConcurrency());
    config.put("max_connections", settings.maxConnections());
    config.put("timeout_s", settings.responseTimeout().toMillis() / 1000.0);
    config.put("request_rate", trace.requestRate);
    config.put("arrival", trace.arrivalProcess().name().toLowerCase(Locale.ROOT));
    Double shape = trace.burstinessValue();
    config.put("burstiness", shape == null ? null : shape.isInfinite() ? "inf" : shape);
    config.put("duration", trace.duration);
    config.put("num_prompts", trace.numPrompts);
    config.put("category", category);
    config.put("tokenizer", tokenizer);
    config.put("shard", settings.shardIndex() + "/" + settings.shardCount());
    config.put("start_at", startAt == null ? null : startInstant(startAt, null).toString());
    config.put("pools", settings.poolNames());
    config.put("scrape_metrics", settings.scrapeMetrics().stream()
        .map(e -> e.pool() + "=" + e.base()).toList());
    config.put("label", label);
    config.put("metadata", meta);
    config.put("header_names", List.copyOf(settings.headers().keySet()));
    config.put("extra_body", extra);
    config.put("num_warmups", settings.numWarmups());
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

  /**
   * Reads a --start-at value: an ISO-8601 instant (Z or an offset) or epoch milliseconds. With
   * {@code now} given, one more than {@link #START_SLACK_SECONDS} in the past is refused.
   */
  static Instant startInstant(String text, Instant now) {
    String t = text.strip();
    Instant at;
    try {
      at = t.matches("\\d{1,15}") ? Instant.ofEpochMilli(Long.parseLong(t))
          : java.time.OffsetDateTime.parse(t).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new BadInputException("Bad --start-at '" + text + "': expected an ISO-8601 instant "
          + "such as 2026-05-01T12:00:00Z (or with an offset, e.g. +02:00) or epoch milliseconds");
    }
    if (now != null && at.isBefore(now.minusSeconds(START_SLACK_SECONDS))) {
      throw new BadInputException(String.format(Locale.US, "--start-at %s (%s) is %.1f s in the "
          + "past (now %s); shards need a shared start in the future: pick one far enough ahead "
          + "for every shard to be scheduled and started", text, at,
          Duration.between(at, now).toMillis() / 1000.0, now));
    }
    return at;
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

  /** vLLM's name of a --percentile-metrics entry (ours: e2e, queue; vLLM's: e2el, ...). */
  private static String vllmMetric(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "ttft", "tpot", "itl", "e2el", "client_queue_time", "e2el_including_client_queue" -> n;
      case "e2e" -> "e2el";
      case "queue" -> "client_queue_time";
      default -> throw new BadInputException("Unknown --percentile-metrics entry '" + name
          + "': expected ttft, tpot, itl, e2el (or e2e), client_queue_time (or queue) or "
          + "e2el_including_client_queue");
    };
  }

  /** The console table's metric for a vLLM metric name. */
  private static LatencyMetric metric(String vllmName) {
    return switch (vllmName) {
      case "ttft" -> LatencyMetric.TTFT;
      case "tpot" -> LatencyMetric.TPOT;
      case "itl" -> LatencyMetric.ITL;
      case "client_queue_time" -> LatencyMetric.QUEUE;
      default -> LatencyMetric.E2E; // e2el and e2el_including_client_queue: ours count from the planned time
    };
  }

  private static double percentile(String text) {
    String t = text == null ? "" : text.strip();
    try {
      double p = Double.parseDouble(t);
      if (p >= 0 && p <= 100 && !t.matches(".*[dDfF]$")) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException("Bad --metric-percentiles entry '" + text
        + "': expected a percentile between 0 and 100, like 99 or 99.5");
  }

  private Api chosenApi() {
    boolean apiGiven = spec.commandLine().getParseResult().hasMatchedOption("--api");
    if (backend == null) {
      return Api.named(api);
    }
    Api fromBackend = switch (backend.strip().toLowerCase(Locale.ROOT)) {
      case "openai", "vllm" -> Api.COMPLETIONS;
      case "openai-chat" -> Api.CHAT;
      default -> throw new BadInputException("Unsupported --backend '" + backend + "': expected "
          + "openai or vllm (POST /v1/completions) or openai-chat (POST /v1/chat/completions)");
    };
    if (apiGiven && Api.named(api) != fromBackend) {
      throw new BadInputException("--backend " + backend + " and --api " + api
          + " ask for different APIs; give one of them");
    }
    return fromBackend;
  }

  /** The result JSON's backend: --backend as given, else vLLM's name for the API. */
  private String backendName(Api chosen) {
    return backend != null ? backend.strip().toLowerCase(Locale.ROOT)
        : chosen == Api.CHAT ? "openai-chat" : "openai";
  }

  /** KEY=VALUE pairs in order (split at the first '=', both sides stripped). */
  private static Map<String, String> pairs(List<String> items, String flag, String example) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0 || item.substring(0, eq).isBlank()) {
        throw new BadInputException("Bad " + flag + " '" + item + "': expected KEY=VALUE, e.g. "
            + example);
      }
      out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
    }
    return out;
  }

  private static final Set<String> FRAMING_HEADERS = Set.of("content-length",
      "transfer-encoding", "host", "connection");

  private static void checkHeaderName(String name) {
    if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new BadInputException("Bad --header name '" + name + "': expected an HTTP header "
          + "name (letters, digits and !#$%&'*+-.^_`|~)");
    }
    if (FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      throw new BadInputException("--header " + name + " cannot be set: the HTTP client sets it");
    }
  }

  /** vLLM's sampling flags, then --extra-body, whose fields win (as in vllm bench serve). */
  private Map<String, JsonNode> extraBody() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (topP != null) {
      out.put("top_p", DoubleNode.valueOf(bounded(topP, "--top-p", 0, false, 1)));
    }
    if (topK != null) {
      out.put("top_k", IntNode.valueOf((int) Quantities.longAtLeast(topK, -1, "--top-k")));
    }
    if (minP != null) {
      out.put("min_p", DoubleNode.valueOf(bounded(minP, "--min-p", 0, true, 1)));
    }
    if (temperature != null) {
      out.put("temperature", DoubleNode.valueOf(bounded(temperature, "--temperature", 0, true,
          Double.MAX_VALUE)));
    }
    if (frequencyPenalty != null) {
      out.put("frequency_penalty", DoubleNode.valueOf(bounded(frequencyPenalty,
          "--frequency-penalty", -Double.MAX_VALUE, true, Double.MAX_VALUE)));
    }
    if (presencePenalty != null) {
      out.put("presence_penalty", DoubleNode.valueOf(bounded(presencePenalty,
          "--presence-penalty", -Double.MAX_VALUE, true, Double.MAX_VALUE)));
    }
    if (repetitionPenalty != null) {
      out.put("repetition_penalty", DoubleNode.valueOf(bounded(repetitionPenalty,
          "--repetition-penalty", 0, false, Double.MAX_VALUE)));
    }
    if (extraBody != null) {
      JsonNode body;
      try {
        body = RunDirectory.mapper().readTree(extraBody);
      } catch (java.io.IOException e) {
        body = null;
      }
      if (body == null || !body.isObject()) {
        throw new BadInputException("Bad --extra-body '" + extraBody + "': expected a JSON "
            + "object, e.g. '{\"top_k\": 20}'");
      }
      body.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** A finite number in [low, high] (or (low, high] when {@code lowIncluded} is false). */
  private static double bounded(String text, String flag, double low, boolean lowIncluded,
      double high) {
    String t = text.strip();
    try {
      double v = Double.parseDouble(t);
      if (Double.isFinite(v) && (lowIncluded ? v >= low : v > low) && v <= high
          && !t.matches(".*[dDfF]$")) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String range = high == Double.MAX_VALUE
        ? (low == -Double.MAX_VALUE ? "a number" : "a number " + (lowIncluded ? ">= " : "> ") + fmt(low))
        : "a number in " + (lowIncluded ? "[" : "(") + fmt(low) + ", " + fmt(high) + "]";
    throw new BadInputException(flag + " '" + text + "' is not " + range);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * The --save-result file: --result-filename, else vLLM's generated name
   * {@code <label or backend>-<rate>qps[-concurrency<n>]-<model's last path part>-<date>.json},
   * in --result-dir when given.
   */
  private Path resultFile(String backendName, double rate, int maxConcurrency, String modelName) {
    String name = resultFilename;
    if (name == null) {
      String base = modelName.substring(modelName.lastIndexOf('/') + 1);
      String date = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
      name = (label != null ? label : backendName) + "-" + pythonFloat(rate) + "qps"
          + (maxConcurrency > 0 ? "-concurrency" + maxConcurrency : "") + "-" + base + "-" + date
          + ".json";
    }
    return resultDir == null ? Path.of(name) : resultDir.resolve(name);
  }

  /** A rate as Python prints a float: 10.0, 2.5. */
  static String pythonFloat(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return (long) v + ".0";
    }
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** The model lookup retried until it answers or the ready-check deadline passes. */
  private static String firstModelWhenReady(URI target, String apiKey, long seconds, long deadline) {
    while (true) {
      try {
        return firstModel(target, apiKey);
      } catch (BadInputException e) {
        if (System.nanoTime() >= deadline) {
          throw new BadInputException("--ready-check-timeout-sec " + seconds + ": " + target
              + " did not answer within " + seconds + " s: " + e.getMessage());
        }
      }
      try {
        Thread.sleep(Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BadInputException("Interrupted while waiting for " + target);
      }
    }
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

  static boolean actualAnswers(String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "actual" -> true;
      case "synthesized" -> false;
      default -> throw new BadInputException("--turn-answers " + value
          + ": expected actual or synthesized");
    };
  }
}
