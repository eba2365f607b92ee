package io.poolbench.harness.cli;

import io.poolbench.harness.catalog.Catalog;
import io.poolbench.harness.catalog.HfModelConfig;
import io.poolbench.harness.catalog.Gpu;
import io.poolbench.harness.catalog.KvCapacity;
import io.poolbench.harness.catalog.ModelSpec;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.mock.ErrorStyle;
import io.poolbench.harness.mock.FaultPlan;
import io.poolbench.harness.mock.InstanceSpec;
import io.poolbench.harness.mock.MetricsStyle;
import io.poolbench.harness.mock.MockFleets;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.mock.OutputLengths;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.harness.perf.PerfModel;
import io.poolbench.harness.perf.RooflinePerfModel;
import io.poolbench.harness.fleet.FaultSetup;
import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.Presets;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Durations;
import io.poolbench.traces.prompt.TokenizerKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench mock}: serve mock vLLM instances driven by the engine model in real time. */
@Command(
    name = "mock",
    sortOptions = false,
    header = "Serve mock vLLM instances driven by the engine model in real time.",
    description = {
      "Starts one OpenAI-compatible HTTP server per instance on consecutive ports (vLLM's "
          + "endpoints, SSE bytes, error texts and /metrics), each backed by the vLLM V1 engine "
          + "model: token budget, sequence slots, chunked prefill, paged KV blocks, preemption, "
          + "and engine death on CUDA OOM or injected faults. Prints one line per instance and "
          + "runs until SIGINT/SIGTERM (or --run-for).",
      "",
      "Give one of: --fleet <fleet.yaml> or --preset <name> (every pool's instances, as "
          + "'poolbench simulate' models them), or --max-model-len <tokens> with --instances and "
          + "the engine flags (flags mode).",
      "",
      "Fault injection per instance: POST /admin/kill, /admin/slowdown?factor=F&seconds=S, "
          + "/admin/drop (cut streams in progress), /admin/fail?status=500|503&seconds=S."
    })
final class MockCommand implements Callable<Integer> {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Option(names = "--fleet", paramLabel = "<fleet.yaml>",
      description = "Serve every instance of every pool of this fleet file (as 'poolbench "
          + "simulate' reads it).")
  Path fleetFile;

  @Option(names = "--preset", paramLabel = "<name>",
      description = "Serve a built-in fleet preset (paper-a100, paper-a100-grounded, "
          + "paper-mi300x, paper-mi300x-grounded).")
  String preset;

  @Option(names = "--variant", paramLabel = "<variant>", defaultValue = "two-pool",
      description = "With --preset: homogeneous or two-pool (default: ${DEFAULT-VALUE}).")
  String variant;

  @Option(names = "--instances", paramLabel = "<n>",
      description = "Instances to serve (flags mode; default: 1), or of a one-pool fleet.")
  Integer instances;

  @Option(names = "--max-model-len", paramLabel = "<tokens>",
      description = "Flags mode: each instance's max_model_len (prompt + output limit).")
  Integer maxModelLen;

  @Option(names = "--pool", paramLabel = "<name>", defaultValue = "default",
      description = "Pool name printed for the instances (default: ${DEFAULT-VALUE}).")
  String pool;

  @Option(names = "--model", paramLabel = "<name>", defaultValue = "llama-3-8b",
      description = "Catalog model whose size sets KV capacity and step times (default: "
          + "${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--model-config", paramLabel = "<config.json>",
      description = "Derive the model from this Hugging Face config.json instead of --model "
          + "(with --fleet/--preset: replaces the fleet's model).")
  Path modelConfig;

  @Option(names = "--dtype", paramLabel = "<dtype>",
      description = "Weight format: auto, bf16, fp16, fp8 (default: auto, or the fleet's).")
  String dtype;

  @Option(names = "--kv-cache-dtype", paramLabel = "<dtype>",
      description = "KV-cache format: auto, bf16, fp16, fp8 (default: auto, or the fleet's).")
  String kvCacheDtype;

  @Option(names = "--served-model-name", paramLabel = "<name>",
      description = "The model name clients send (default: the --model name).")
  String servedModelName;

  @Option(names = "--gpu", paramLabel = "<name>", defaultValue = "h100-80gb",
      description = "Catalog GPU (default: ${DEFAULT-VALUE}).")
  String gpu;

  @Option(names = "--tensor-parallel", paramLabel = "<n>", defaultValue = "1",
      description = "GPUs per instance (default: ${DEFAULT-VALUE}).")
  int tensorParallel;

  @Option(names = "--gpu-memory-utilization", paramLabel = "<fraction>", defaultValue = "0.9",
      description = "vLLM's gpu_memory_utilization (default: ${DEFAULT-VALUE}).")
  double gpuMemoryUtilization;

  @Option(names = "--num-gpu-blocks", paramLabel = "<blocks>",
      description = "Force the KV blocks per instance (vLLM's --num-gpu-blocks-override); a "
          + "value above what the GPU memory holds can end in CUDA OOM.")
  Integer numGpuBlocks;

  @Option(names = "--max-num-seqs", paramLabel = "<n>",
      description = "Running-batch cap (default: vLLM's, 1024 on >= 70 GiB GPUs other than "
          + "A100, else 256).")
  Integer maxNumSeqs;

  @Option(names = "--max-num-batched-tokens", paramLabel = "<tokens>",
      description = "Token budget per step (default: vLLM's, 8192 on >= 70 GiB GPUs other than "
          + "A100, else 2048).")
  Integer maxNumBatchedTokens;

  @Option(names = "--max-num-queued-reqs", paramLabel = "<n>", defaultValue = "0",
      description = "Answer 503 beyond this many waiting + running requests (default: 0, "
          + "unbounded as in vLLM).")
  int maxNumQueuedReqs;

  @Option(names = "--perf", paramLabel = "<model>", defaultValue = "roofline",
      description = "Step-time model: roofline (from --model/--gpu) or affine (the papers' "
          + "W = 8 ms, H = 0.65 ms at 8K) (default: ${DEFAULT-VALUE}).")
  String perf;

  @Option(names = "--bind", paramLabel = "<address>", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = {"--port-base", "--port"}, paramLabel = "<port>", defaultValue = "8000",
      description = "Port of the first instance; the others follow (default: ${DEFAULT-VALUE}; "
          + "0 = any free ports). A port in use is exit 2, naming the address.")
  int portBase;

  @Option(names = "--time-scale", paramLabel = "<x>", defaultValue = "1",
      description = "Run model time this many times faster than wall time (default: "
          + "${DEFAULT-VALUE}).")
  double timeScale;

  @Option(names = "--api-key", paramLabel = "<key>",
      description = "Require 'Authorization: Bearer <key>' on /v1 paths (401 otherwise).")
  String apiKey;

  @Option(names = "--tokenizer", paramLabel = "<name>", defaultValue = "cl100k_base",
      converter = PromptCommand.TokenizerConverter.class,
      description = "Tokenizer that counts prompts and spells output (default: "
          + "${DEFAULT-VALUE}).")
  TokenizerKind tokenizer;

  @Option(names = "--error-envelope", paramLabel = "<style>", defaultValue = "nested",
      description = "Error body: nested (vLLM >= 0.10.1) or flat (<= 0.10.0) (default: "
          + "${DEFAULT-VALUE}).")
  String errorEnvelope;

  @Option(names = "--metrics-version", paramLabel = "<version>", defaultValue = "0.11",
      description = "Metric names of vLLM 0.11 or 0.10 (default: ${DEFAULT-VALUE}).")
  String metricsVersion;

  @Option(names = "--stream-interval", paramLabel = "<tokens>", defaultValue = "1",
      description = "Tokens per streamed chunk, as vLLM's --stream-interval (default: "
          + "${DEFAULT-VALUE}).")
  int streamInterval;

  @Option(names = "--output-len", paramLabel = "<distribution>",
      defaultValue = "lognormal:180,1.0",
      description = "Natural output length when ignore_eos is off: fixed:N, uniform:A..B, "
          + "exp:MEAN or lognormal:MEDIAN,SIGMA (default: ${DEFAULT-VALUE}).")
  String outputLen;

  @Option(names = "--restart-delay", paramLabel = "<duration>",
      description = "Time from an engine death until the instance serves again (default: the "
          + "fleet's, else 60s).")
  String restartDelay;

  @Option(names = "--dead-linger", paramLabel = "<duration>", defaultValue = "1s",
      description = "Time a dead instance keeps answering 500 before its port closes "
          + "(default: ${DEFAULT-VALUE}; vLLM: at most 5s).")
  String deadLinger;

  @Option(names = "--enable-server-load-tracking",
      description = "Make /load count in-flight requests, as vLLM's flag of that name.")
  boolean serverLoadTracking;

  @Option(names = "--enable-prompt-tokens-details",
      description = "Report usage.prompt_tokens_details.cached_tokens (prefix-cache hits), as "
          + "vLLM's flag of that name; without it the field is null, as in vLLM.")
  boolean promptTokensDetails;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1",
      description = "Seed of output lengths, text and random faults (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--mtbf", paramLabel = "<duration>",
      description = "Kill each instance's engine at random, this long apart on average "
          + "(default: the fleet's, else never).")
  String mtbf;

  @Option(names = "--slowdown", paramLabel = "<x>", defaultValue = "1",
      description = "Multiply every step's duration (default: ${DEFAULT-VALUE}).")
  double slowdown;

  @Option(names = "--drop-probability", paramLabel = "<p>", defaultValue = "0",
      description = "Chance that a stream's connection is cut at a random token (default: "
          + "${DEFAULT-VALUE}).")
  double dropProbability;

  @Option(names = "--error-fraction", paramLabel = "<p>", defaultValue = "0",
      description = "Fraction of generation requests answered with --error-status (default: "
          + "${DEFAULT-VALUE}).")
  double errorFraction;

  @Option(names = "--error-status", paramLabel = "<status>", defaultValue = "503",
      description = "500 or 503 (default: ${DEFAULT-VALUE}).")
  int errorStatus;

  @Option(names = "--no-warmup",
      description = "Serve at once, without first warming the process up on a scratch instance "
          + "(32 requests over loopback, about a second; as vLLM warms up before it is ready).")
  boolean noWarmup;

  @Option(names = "--run-for", paramLabel = "<duration>",
      description = "Stop after this long instead of waiting for SIGINT/SIGTERM.")
  String runFor;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    int sources = (fleetFile != null ? 1 : 0) + (preset != null ? 1 : 0)
        + (maxModelLen != null ? 1 : 0);
    if (sources != 1) {
      throw new BadInputException("Give exactly one of --fleet <fleet.yaml>, --preset <name> or "
          + "--max-model-len <tokens> (flags mode)");
    }
    Fleet fleet = maxModelLen == null ? fleet() : null;
    List<InstanceSpec> specs = fleet != null ? fleetInstances(fleet) : flagInstances();
    MockSettings settings = settings(fleet);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MockServer server;
    try {
      long warmStart = System.nanoTime();
      server = MockServer.start(settings, specs, line -> {
        err.println("poolbench mock: " + line);
        err.flush();
      }, noWarmup ? java.time.Duration.ZERO : java.time.Duration.ofSeconds(30));
      if (!noWarmup) {
        err.println(String.format(Locale.US, "poolbench mock: warmed up on a scratch instance "
            + "(%d requests answered, %.1f s) before serving", server.warmedUp(),
            (System.nanoTime() - warmStart) / 1e9));
        err.flush();
      }
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).startsWith("could not listen on ")) {
        // one line naming the address, as the router's; exit 2
        throw new BadInputException(e.getMessage() + "; choose a free --port-base "
            + "(0: any free ports) or --bind address");
      }
      throw new BadInputException("Could not start the mock on " + bind + " from port "
          + portBase + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new BadInputException("Could not start the mock on " + bind + " from port "
          + portBase + ": " + e.getMessage());
    }
    out.println(String.format(Locale.US, "poolbench mock: %d instance(s), time scale %s "
            + "(model time runs %sx wall time), vLLM %s behaviour", specs.size(),
        timeScale, timeScale, settings.version()));
    for (MockInstance i : server.instances()) {
      InstanceSpec s = i.spec();
      EngineConfig e = s.engine();
      out.println(String.format(Locale.US,
          "%s pool=%s model=%s max_model_len=%d kv_blocks=%d kv_tokens=%d max_num_seqs=%d "
              + "max_num_batched_tokens=%d perf=%s", i.url(), s.pool(), s.modelName(),
          e.maxModelLen(), e.numGpuBlocks(), s.kvTokens(), e.maxNumSeqs(),
          e.maxNumBatchedTokens(), s.perf().describe()));
    }
    if (fleet != null) {
      scheduleFleetFaults(fleet, server, settings.timeScale(), out);
    }
    out.flush();
    ServeUntilStopped.await("mock", runFor, server::close);
    out.println("poolbench mock: stopped");
    out.flush();
    return ExitCodes.OK;
  }

  private Fleet fleet() {
    FleetConfig c = fleetFile != null ? FleetConfigs.load(fleetFile)
        : Presets.named(preset).variant(variant);
    if (instances != null) {
      if (c.pools().size() != 1) {
        throw new BadInputException("--instances applies to a one-pool fleet; this one has "
            + c.pools().size() + " pools");
      }
      c = c.withPools(List.of(c.pools().get(0).withInstances(instances)));
    }
    if (modelConfig != null) {
      c = c.withModel(null, existing(modelConfig).toAbsolutePath().normalize().toString(), dtype,
          kvCacheDtype);
    } else if (dtype != null || kvCacheDtype != null) {
      c = c.withModel(c.model(), c.modelConfig(), dtype, kvCacheDtype);
    }
    return FleetConfigs.resolve(c);
  }

  private List<InstanceSpec> fleetInstances(Fleet fleet) {
    return MockFleets.specs(fleet, servedModelName != null ? servedModelName : fleet.config().modelName(),
        portBase);
  }

  /** The fleet file's faults at fixed times, counted in model time from now. */
  private static void scheduleFleetFaults(Fleet fleet, MockServer server, double timeScale,
      PrintWriter out) {
    for (FaultSetup.At at : fleet.faults().at()) {
      String pool = fleet.pools().get(at.pool()).name();
      for (MockInstance i : server.instances()) {
        if (i.spec().pool().equals(pool) && i.spec().indexInPool() == at.instance()) {
          long wall = (long) (at.atNanos() / timeScale);
          server.scheduleKill(i, wall, "fault planned in the fleet file");
          out.println(String.format(Locale.US, "poolbench mock: %s (%s #%d) will be killed in "
              + "%.1f s", i.url(), pool, at.instance(), wall / 1e9));
        }
      }
    }
  }

  private MockSettings settings(Fleet fleet) {
    if (!(timeScale > 0)) {
      throw new BadInputException("--time-scale " + timeScale + " must be > 0");
    }
    if (streamInterval < 1) {
      throw new BadInputException("--stream-interval " + streamInterval + " must be >= 1");
    }
    long restart = restartDelay != null ? Durations.parse(restartDelay).toNanos()
        : fleet != null ? fleet.faults().restartNanos() : 60_000_000_000L;
    long linger = Durations.parse(deadLinger).toNanos();
    if (linger > restart && restartDelay == null) {
      linger = restart;
    }
    if (linger > restart) {
      throw new BadInputException("--dead-linger " + deadLinger + " must not exceed the "
          + "restart delay (" + restart / 1e9 + " s)");
    }
    FaultPlan faults;
    try {
      long mtbfNanos = mtbf != null ? Durations.parse(mtbf).toNanos()
          : fleet != null ? fleet.faults().mtbfNanos() : 0;
      faults = new FaultPlan(mtbfNanos, slowdown,
          dropProbability, errorFraction, errorStatus);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    return new MockSettings(bind, timeScale, apiKey, tokenizer, errorStyle(), metricsStyle(),
        streamInterval, OutputLengths.parse(outputLen), restart, linger, serverLoadTracking, seed,
        faults, MockSettings.DEFAULT_VERSION, promptTokensDetails);
  }

  private ErrorStyle errorStyle() {
    return switch (errorEnvelope.toLowerCase(Locale.ROOT)) {
      case "nested" -> ErrorStyle.NESTED;
      case "flat" -> ErrorStyle.FLAT;
      default -> throw new BadInputException("--error-envelope '" + errorEnvelope
          + "' is not nested or flat");
    };
  }

  private MetricsStyle metricsStyle() {
    return switch (metricsVersion) {
      case "0.11", "0.12" -> MetricsStyle.V0_11;
      case "0.10", "0.9" -> MetricsStyle.V0_10;
      default -> throw new BadInputException("--metrics-version '" + metricsVersion
          + "' is not 0.11 or 0.10");
    };
  }

  private List<InstanceSpec> flagInstances() {
    int instances = this.instances != null ? this.instances : 1;
    if (instances < 1) {
      throw new BadInputException("--instances " + instances + " must be >= 1");
    }
    if (maxModelLen < 1) {
      throw new BadInputException("--max-model-len " + maxModelLen + " must be >= 1");
    }
    if (portBase < 0 || portBase + instances - 1 > 65535) {
      throw new BadInputException("--port-base " + portBase + " with " + instances
          + " instances leaves 0..65535");
    }
    ModelSpec m = modelConfig != null
        ? HfModelConfig.load(existing(modelConfig), orAuto(dtype), orAuto(kvCacheDtype))
        : Catalog.model(model, orAuto(dtype), orAuto(kvCacheDtype));
    Gpu g = Catalog.gpu(gpu);
    boolean big = g.memoryBytes() >= 70L * (1L << 30) && !g.name().startsWith("a100");
    int seqs = maxNumSeqs != null ? maxNumSeqs : big ? 1024 : 256;
    int batched = maxNumBatchedTokens != null ? maxNumBatchedTokens : big ? 8192 : 2048;
    KvCapacity kv = KvCapacity.compute(m, g, tensorParallel, gpuMemoryUtilization, batched, seqs,
        maxModelLen, EngineConfig.DEFAULT_BLOCK_SIZE);
    long blocks = numGpuBlocks != null ? numGpuBlocks : kv.blocks();
    EngineConfig engine;
    try {
      engine = new EngineConfig(maxModelLen, seqs, batched, EngineConfig.DEFAULT_BLOCK_SIZE,
          (int) Math.min(Integer.MAX_VALUE, blocks), maxNumQueuedReqs, kv.memoryLimit());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    PerfModel perfModel = switch (perf.toLowerCase(Locale.ROOT)) {
      case "roofline" -> RooflinePerfModel.of(m, g, tensorParallel);
      case "affine" -> AffinePerfModel.PAPER_LLAMA70B_A100;
      default -> throw new BadInputException("--perf '" + perf + "' is not roofline or affine");
    };
    String served = servedModelName != null ? servedModelName : m.name();
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      specs.add(new InstanceSpec(pool, i, served, engine, perfModel,
          portBase == 0 ? 0 : portBase + i));
    }
    return specs;
  }

  private static String orAuto(String dtype) {
    return dtype != null ? dtype : "auto";
  }

  private static Path existing(Path config) {
    if (!java.nio.file.Files.isRegularFile(config)) {
      throw new BadInputException("--model-config '" + config + "': no such file; expected the "
          + "path of a Hugging Face config.json");
    }
    return config;
  }
}
