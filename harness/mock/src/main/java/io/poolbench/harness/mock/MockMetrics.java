package io.poolbench.harness.mock;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.engine.VllmEngine;

/**
 * The {@code vllm:} metrics of one instance (vllm-api.md §6), written only by the engine driver's
 * thread and rendered there. Times are model seconds (equal to wall seconds at time scale 1).
 * Labels: {@code engine="0"} and {@code model_name}; counters carry {@code _total} and
 * {@code _created} samples as Python's client writes them.
 */
final class MockMetrics {
  private static final double[] TTFT = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25,
      0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
  private static final double[] ITL = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5,
      0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
  private static final double[] LATENCY = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0,
      20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
  private static final double[] ITERATION = {1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
      8192, 16384};

  private final MetricsStyle style;
  private final String labels;
  private final String modelLabel;
  private final double createdSeconds;
  private final EngineConfig config;

  long promptTokens;
  long generationTokens;
  long finishedStop;
  long finishedLength;
  long finishedAbort;
  long finishedError;

  final PromHistogram ttft;
  final PromHistogram itl;
  final PromHistogram requestTpot;
  final PromHistogram e2e;
  final PromHistogram queue;
  final PromHistogram inference;
  final PromHistogram prefill;
  final PromHistogram decode;
  final PromHistogram promptLen;
  final PromHistogram generationLen;
  final PromHistogram maxTokensParam;
  final PromHistogram nParam;
  final PromHistogram iterationTokens;

  MockMetrics(MetricsStyle style, String modelName, EngineConfig config) {
    this.style = style;
    this.config = config;
    this.modelLabel = "model_name=\"" + modelName.replace("\\", "\\\\").replace("\"", "\\\"")
        .replace("\n", "\\n") + "\"";
    this.labels = "engine=\"0\"," + modelLabel;
    this.createdSeconds = System.currentTimeMillis() / 1000.0;
    ttft = new PromHistogram("vllm:time_to_first_token_seconds",
        "Histogram of time to first token in seconds.", TTFT);
    itl = new PromHistogram(style == MetricsStyle.V0_11 ? "vllm:inter_token_latency_seconds"
        : "vllm:time_per_output_token_seconds", "Histogram of inter-token latency in seconds.",
        ITL);
    requestTpot = new PromHistogram("vllm:request_time_per_output_token_seconds",
        "Histogram of time_per_output_token_seconds per request.", ITL);
    e2e = new PromHistogram("vllm:e2e_request_latency_seconds",
        "Histogram of e2e request latency in seconds.", LATENCY);
    queue = new PromHistogram("vllm:request_queue_time_seconds",
        "Histogram of time spent in WAITING phase for request.", LATENCY);
    inference = new PromHistogram("vllm:request_inference_time_seconds",
        "Histogram of time spent in RUNNING phase for request.", LATENCY);
    prefill = new PromHistogram("vllm:request_prefill_time_seconds",
        "Histogram of time spent in PREFILL phase for request.", LATENCY);
    decode = new PromHistogram("vllm:request_decode_time_seconds",
        "Histogram of time spent in DECODE phase for request.", LATENCY);
    double[] lengths = PromHistogram.oneTwoFive(config.maxModelLen());
    promptLen = new PromHistogram("vllm:request_prompt_tokens",
        "Number of prefill tokens processed.", lengths);
    generationLen = new PromHistogram("vllm:request_generation_tokens",
        "Number of generation tokens processed.", lengths);
    maxTokensParam = new PromHistogram("vllm:request_params_max_tokens",
        "Histogram of the max_tokens request parameter.", lengths);
    nParam = new PromHistogram("vllm:request_params_n", "Histogram of the n request parameter.",
        1, 2, 5, 10, 20);
    iterationTokens = new PromHistogram("vllm:iteration_tokens_total",
        "Histogram of number of tokens per engine_step.", ITERATION);
  }

  void finished(String reason) {
    switch (reason) {
      case "stop" -> finishedStop++;
      case "length" -> finishedLength++;
      case "abort" -> finishedAbort++;
      default -> finishedError++;
    }
  }

  /** The whole exposition, reading the engine's gauges now. */
  String render(VllmEngine engine) {
    StringBuilder out = new StringBuilder(16_384);
    gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.",
        engine.runningCount());
    gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.",
        engine.waitingCount());
    gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.",
        engine.kvCacheUsage());
    if (style == MetricsStyle.V0_10) {
      gauge(out, "vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage.",
          engine.kvCacheUsage());
    }
    out.append("# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n")
        .append("# TYPE vllm:cache_config_info gauge\n")
        .append("vllm:cache_config_info{block_size=\"").append(config.blockSize())
        .append("\",cache_dtype=\"auto\",enable_prefix_caching=\"")
        .append(config.enablePrefixCaching() ? "True" : "False").append("\",engine=\"0\","
            + "gpu_memory_utilization=\"0.9\",num_cpu_blocks=\"0\",num_gpu_blocks=\"")
        .append(config.numGpuBlocks()).append("\"} 1.0\n");
    counter(out, "vllm:num_preemptions", "Cumulative number of preemption from the engine.",
        engine.preemptions());
    counter(out, "vllm:prompt_tokens", "Number of prefill tokens processed.", promptTokens);
    counter(out, "vllm:generation_tokens", "Number of generation tokens processed.",
        generationTokens);
    counter(out, "vllm:prefix_cache_queries",
        "Prefix cache queries, in terms of number of queried tokens.",
        engine.prefixCacheQueries());
    counter(out, "vllm:prefix_cache_hits",
        "Prefix cache hits, in terms of number of cached tokens.", engine.prefixCacheHits());
    out.append("# HELP vllm:request_success_total Count of successfully processed requests.\n")
        .append("# TYPE vllm:request_success_total counter\n");
    successLine(out, "stop", finishedStop);
    successLine(out, "length", finishedLength);
    successLine(out, "abort", finishedAbort);
    successLine(out, "error", finishedError);
    ttft.render(out, labels);
    itl.render(out, labels);
    if (style == MetricsStyle.V0_11) {
      requestTpot.render(out, labels);
    }
    e2e.render(out, labels);
    queue.render(out, labels);
    inference.render(out, labels);
    prefill.render(out, labels);
    decode.render(out, labels);
    promptLen.render(out, labels);
    generationLen.render(out, labels);
    maxTokensParam.render(out, labels);
    nParam.render(out, labels);
    iterationTokens.render(out, labels);
    return out.toString();
  }

  private void gauge(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append('{').append(labels).append("} ").append(PromText.number(value))
        .append('\n');
  }

  private void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append("_total ").append(help).append('\n')
        .append("# TYPE ").append(name).append("_total counter\n")
        .append(name).append("_total{").append(labels).append("} ")
        .append(PromText.number(value)).append('\n')
        .append("# HELP ").append(name).append("_created ").append(help).append('\n')
        .append("# TYPE ").append(name).append("_created gauge\n")
        .append(name).append("_created{").append(labels).append("} ")
        .append(PromText.number(createdSeconds)).append('\n');
  }

  private void successLine(StringBuilder out, String reason, long value) {
    out.append("vllm:request_success_total{engine=\"0\",finished_reason=\"").append(reason)
        .append("\",").append(modelLabel).append("} ").append(PromText.number(value))
        .append('\n');
  }
}
