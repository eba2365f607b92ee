package io.poolbench.harness.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.poolbench.harness.catalog.HfModelConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A fleet file (YAML, kebab-case keys), as parsed; {@link FleetConfigs#resolve} turns it into
 * pools of engine models. Absent values take the defaults named on each key.
 *
 * @param name fleet name for reports
 * @param model catalog model name (e.g. {@code llama-3-70b}); exactly one of this and
 *     {@code model-config}
 * @param gpu catalog GPU name (e.g. {@code a100-80gb}) or an inline block
 *     {@code {name, memory-gb, bandwidth-gbs, bf16-tflops, fp8-tflops, price}}
 * @param gpuPrice $/GPU-hour (default: the catalog's)
 * @param perfModel {@code affine} (default) or {@code roofline}
 * @param affine the affine model's W and H (default: the papers' 8 ms and 0.65 ms at 8K)
 * @param roofline the roofline model's efficiencies and overhead (default: the catalog's, see
 *     {@code RooflinePerfModel.of}); {@code poolbench calibrate} prints a fitted block
 * @param gpuMemoryUtilization vLLM's {@code --gpu-memory-utilization} (0.9)
 * @param oom {@code physical}: a step that overflows the GPUs' physical memory kills the engine
 *     (default when the KV capacity is computed); {@code off}: never (the papers' assumption,
 *     default when {@code num-gpu-blocks} is forced)
 * @param pools the pools, smallest {@code max-model-len} first
 * @param routing the router's policy and thresholds
 * @param faults injected faults and the restart delay
 * @param seed seed of the run (faults, random policies) (1)
 * @param sendOutputAsMaxTokens send a row's output length as max_tokens when the trace declares
 *     none, as a replay with {@code ignore_eos} does (true)
 * @param clientTimeoutS seconds after arrival at which a client aborts an unfinished request
 *     (0 or absent: never)
 * @param modelConfig path of a Hugging Face {@code config.json} to derive the model from, instead
 *     of {@code model} (relative to the fleet file's directory when read by
 *     {@link FleetConfigs#load}, else to the working directory)
 * @param dtype weight format: {@code auto} (default: the config's), {@code bf16}, {@code fp16},
 *     {@code fp8}
 * @param kvCacheDtype KV-cache format: {@code auto} (default: follows the weights, 16-bit for
 *     FP8-quantized ones), {@code bf16}, {@code fp16}, {@code fp8}
 */
public record FleetConfig(
    @JsonProperty("name") String name,
    @JsonProperty("model") String model,
    @JsonProperty("gpu") GpuRef gpu,
    @JsonProperty("gpu-price") Double gpuPrice,
    @JsonProperty("perf-model") String perfModel,
    @JsonProperty("affine") Affine affine,
    @JsonProperty("roofline") Roofline roofline,
    @JsonProperty("gpu-memory-utilization") Double gpuMemoryUtilization,
    @JsonProperty("oom") String oom,
    @JsonProperty("pools") List<Pool> pools,
    @JsonProperty("routing") Routing routing,
    @JsonProperty("faults") Faults faults,
    @JsonProperty("seed") Long seed,
    @JsonProperty("send-output-as-max-tokens") Boolean sendOutputAsMaxTokens,
    @JsonProperty("client-timeout-s") Double clientTimeoutS,
    @JsonProperty("model-config") String modelConfig,
    @JsonProperty("dtype") String dtype,
    @JsonProperty("kv-cache-dtype") String kvCacheDtype) {

  /**
   * One pool.
   *
   * @param name pool name
   * @param instances engine instances
   * @param tensorParallel GPUs per instance (1)
   * @param billedGpusPerInstance GPUs counted for cost per instance (default: tensor-parallel;
   *     the papers' presets count 1, as the papers count instances)
   * @param maxModelLen {@code --max-model-len}
   * @param maxNumSeqs {@code --max-num-seqs} (256)
   * @param maxNumBatchedTokens {@code --max-num-batched-tokens} (8192)
   * @param numGpuBlocks {@code --num-gpu-blocks-override} (default: computed from memory)
   * @param maxNumQueuedReqs {@code --max-num-queued-reqs} (0: unbounded)
   * @param enablePrefixCaching {@code --enable-prefix-caching} (true, as vLLM V1)
   */
  public record Pool(
      @JsonProperty("name") String name,
      @JsonProperty("instances") Integer instances,
      @JsonProperty("tensor-parallel") Integer tensorParallel,
      @JsonProperty("billed-gpus-per-instance") Integer billedGpusPerInstance,
      @JsonProperty("max-model-len") Integer maxModelLen,
      @JsonProperty("max-num-seqs") Integer maxNumSeqs,
      @JsonProperty("max-num-batched-tokens") Integer maxNumBatchedTokens,
      @JsonProperty("num-gpu-blocks") Integer numGpuBlocks,
      @JsonProperty("max-num-queued-reqs") Integer maxNumQueuedReqs,
      @JsonProperty("enable-prefix-caching") Boolean enablePrefixCaching) {

    /** A pool with prefix caching at its default (on). */
    public Pool(String name, Integer instances, Integer tensorParallel,
        Integer billedGpusPerInstance, Integer maxModelLen, Integer maxNumSeqs,
        Integer maxNumBatchedTokens, Integer numGpuBlocks, Integer maxNumQueuedReqs) {
      this(name, instances, tensorParallel, billedGpusPerInstance, maxModelLen, maxNumSeqs,
          maxNumBatchedTokens, numGpuBlocks, maxNumQueuedReqs, null);
    }

    public Pool withInstances(int n) {
      return new Pool(name, n, tensorParallel, billedGpusPerInstance, maxModelLen, maxNumSeqs,
          maxNumBatchedTokens, numGpuBlocks, maxNumQueuedReqs, enablePrefixCaching);
    }

    public Pool withName(String n) {
      return new Pool(n, instances, tensorParallel, billedGpusPerInstance, maxModelLen,
          maxNumSeqs, maxNumBatchedTokens, numGpuBlocks, maxNumQueuedReqs, enablePrefixCaching);
    }

    public Pool withNumGpuBlocks(int n) {
      return new Pool(name, instances, tensorParallel, billedGpusPerInstance, maxModelLen,
          maxNumSeqs, maxNumBatchedTokens, n, maxNumQueuedReqs, enablePrefixCaching);
    }

    public Pool withMaxModelLen(int n) {
      return new Pool(name, instances, tensorParallel, billedGpusPerInstance, n, maxNumSeqs,
          maxNumBatchedTokens, numGpuBlocks, maxNumQueuedReqs, enablePrefixCaching);
    }
  }

  /**
   * The affine model's constants.
   *
   * @param wMs fixed cost per step, ms
   * @param hMs cost per sequence at {@code ref-context} tokens, ms
   * @param refContext reference context (8192)
   */
  public record Affine(
      @JsonProperty("w-ms") Double wMs,
      @JsonProperty("h-ms") Double hMs,
      @JsonProperty("ref-context") Integer refContext) {}

  /**
   * The roofline model's fitted constants (absent keys keep the catalog's defaults).
   *
   * @param computeEfficiency achieved fraction of peak FLOP/s, in (0, 1] (0.6)
   * @param memoryEfficiency achieved fraction of peak HBM bandwidth, in (0, 1] (0.8)
   * @param overheadMs fixed cost of every step, ms (1 + 0.5 per extra tensor-parallel rank)
   */
  public record Roofline(
      @JsonProperty("compute-efficiency") Double computeEfficiency,
      @JsonProperty("memory-efficiency") Double memoryEfficiency,
      @JsonProperty("overhead-ms") Double overheadMs) {}

  /**
   * Routing.
   *
   * @param policy a router-core policy name ({@code token-budget}, {@code round-robin}, ...)
   * @param shortBudgetTokens B_short (default: the first pool's max-model-len)
   * @param spillover whether load may push requests to the next larger pool (true)
   * @param spillPressure pressure at which a request spills (0.85)
   * @param instancePicker a router-core endpoint picker: {@code least-requests} (default),
   *     {@code least-tokens}, {@code power-of-two}, {@code round-robin} or {@code prefix-affinity}
   */
  public record Routing(
      @JsonProperty("policy") String policy,
      @JsonProperty("short-budget-tokens") Integer shortBudgetTokens,
      @JsonProperty("spillover") Boolean spillover,
      @JsonProperty("spill-pressure") Double spillPressure,
      @JsonProperty("instance-picker") String instancePicker) {}

  /**
   * Faults.
   *
   * @param mtbfHours mean time between faults per instance, hours (0: none)
   * @param restartS seconds a dead instance stays down (60)
   * @param at faults at fixed times
   */
  public record Faults(
      @JsonProperty("mtbf-hours") Double mtbfHours,
      @JsonProperty("restart-s") Double restartS,
      @JsonProperty("at") List<FaultAt> at) {}

  /**
   * One fault at a fixed time.
   *
   * @param atS seconds from the start
   * @param pool pool name
   * @param instance instance index in the pool (0)
   */
  public record FaultAt(
      @JsonProperty("at-s") Double atS,
      @JsonProperty("pool") String pool,
      @JsonProperty("instance") Integer instance) {}

  /** A fleet file without a {@code roofline} block (the form before that block existed). */
  public FleetConfig(String name, String model, String gpu, Double gpuPrice, String perfModel,
      Affine affine, Double gpuMemoryUtilization, String oom, List<Pool> pools, Routing routing,
      Faults faults, Long seed, Boolean sendOutputAsMaxTokens, Double clientTimeoutS) {
    this(name, model, gpu, gpuPrice, perfModel, affine, null, gpuMemoryUtilization, oom, pools,
        routing, faults, seed,
        sendOutputAsMaxTokens, clientTimeoutS);
  }

  /** A fleet of a catalog model on a catalog GPU, with the default dtypes. */
  public FleetConfig(String name, String model, String gpu, Double gpuPrice, String perfModel,
      Affine affine, Roofline roofline, Double gpuMemoryUtilization, String oom, List<Pool> pools,
      Routing routing, Faults faults, Long seed, Boolean sendOutputAsMaxTokens,
      Double clientTimeoutS) {
    this(name, model, GpuRef.named(gpu), gpuPrice, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, pools, routing, faults, seed, sendOutputAsMaxTokens,
        clientTimeoutS, null, null, null);
  }

  /**
   * The model's name for reports: {@code model}, or the name {@code model-config} gives (its file
   * name, or its directory's for a {@code config.json}).
   */
  public String modelName() {
    if (model != null || modelConfig == null) {
      return model;
    }
    return HfModelConfig.nameFor(Path.of(modelConfig));
  }

  /** The same fleet with its model taken from {@code path} (a config.json). */
  public FleetConfig withModelConfig(String path) {
    return new FleetConfig(name, model, gpu, gpuPrice, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, pools, routing, faults, seed, sendOutputAsMaxTokens,
        clientTimeoutS, path, dtype, kvCacheDtype);
  }

  /**
   * The same fleet with its model replaced: a catalog {@code model} name or a {@code model-config}
   * path (exactly one non-null), with the weight and KV-cache formats ({@code null} keeps this
   * fleet's).
   */
  public FleetConfig withModel(String modelValue, String modelConfigValue, String dtypeValue,
      String kvCacheDtypeValue) {
    return new FleetConfig(name, modelValue, gpu, gpuPrice, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, pools, routing, faults, seed, sendOutputAsMaxTokens,
        clientTimeoutS, modelConfigValue, dtypeValue != null ? dtypeValue : dtype,
        kvCacheDtypeValue != null ? kvCacheDtypeValue : kvCacheDtype);
  }

  /** The same fleet with {@code perf-model}, {@code affine} and {@code roofline} replaced. */
  public FleetConfig withPerf(String perfModelValue, Affine affineValue, Roofline rooflineValue) {
    return new FleetConfig(name, model, gpu, gpuPrice, perfModelValue, affineValue, rooflineValue,
        gpuMemoryUtilization, oom, pools, routing, faults, seed, sendOutputAsMaxTokens,
        clientTimeoutS, modelConfig, dtype, kvCacheDtype);
  }

  public FleetConfig withPools(List<Pool> value) {
    return new FleetConfig(name, model, gpu, gpuPrice, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, value, routing, faults, seed,
        sendOutputAsMaxTokens, clientTimeoutS, modelConfig, dtype, kvCacheDtype);
  }

  public FleetConfig withRouting(Routing value) {
    return new FleetConfig(name, model, gpu, gpuPrice, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, pools, value, faults, seed,
        sendOutputAsMaxTokens, clientTimeoutS, modelConfig, dtype, kvCacheDtype);
  }

  public FleetConfig withSeed(long value) {
    return new FleetConfig(name, model, gpu, gpuPrice, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, pools, routing, faults, value,
        sendOutputAsMaxTokens, clientTimeoutS, modelConfig, dtype, kvCacheDtype);
  }

  public FleetConfig withName(String value) {
    return new FleetConfig(value, model, gpu, gpuPrice, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, pools, routing, faults, seed,
        sendOutputAsMaxTokens, clientTimeoutS, modelConfig, dtype, kvCacheDtype);
  }

  public FleetConfig withGpuPrice(Double value) {
    return new FleetConfig(name, model, gpu, value, perfModel, affine, roofline,
        gpuMemoryUtilization, oom, pools, routing, faults, seed,
        sendOutputAsMaxTokens, clientTimeoutS, modelConfig, dtype, kvCacheDtype);
  }
}
