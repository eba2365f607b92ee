package io.poolbench.harness.fleet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.poolbench.harness.catalog.Catalog;
import io.poolbench.harness.catalog.Gpu;
import io.poolbench.harness.catalog.HfModelConfig;
import io.poolbench.harness.catalog.KvCapacity;
import io.poolbench.harness.catalog.ModelSpec;
import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.engine.MemoryLimit;
import io.poolbench.harness.perf.AffinePerfModel;
import io.poolbench.harness.perf.PerfModel;
import io.poolbench.harness.perf.RooflinePerfModel;
import io.poolbench.router.pick.PickerKind;
import io.poolbench.router.policy.PolicyKind;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.ConfigPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads fleet files with a strict YAML mapper and resolves them into engine models. */
public final class FleetConfigs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private FleetConfigs() {}

  /** Parses a fleet file; unknown or duplicate keys fail with the key's path. */
  public static FleetConfig load(Path file) {
    try {
      FleetConfig c = parse(Files.readString(file), file.toString());
      if (c.modelConfig() != null && !c.modelConfig().isBlank()) {
        Path dir = file.toAbsolutePath().getParent();
        Path config = Path.of(c.modelConfig());
        if (!config.isAbsolute() && dir != null) {
          c = c.withModelConfig(dir.resolve(config).normalize().toString());
        }
      }
      return c;
    } catch (NoSuchFileException e) {
      throw new BadInputException("Could not find file: " + file);
    } catch (IOException e) {
      throw new BadInputException("Could not read fleet file " + file + ": " + e.getMessage());
    }
  }

  /** Parses fleet YAML text; {@code origin} names it in error messages. */
  public static FleetConfig parse(String yaml, String origin) {
    try {
      FleetConfig c = YAML.readValue(yaml, FleetConfig.class);
      if (c == null) {
        throw new BadInputException(origin + ": empty fleet file");
      }
      return c;
    } catch (UnrecognizedPropertyException e) {
      throw new BadInputException(origin + ": unknown key '" + ConfigPaths.of(e) + "'; expected one of "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
              .collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      throw new BadInputException(origin + ": bad value at '" + ConfigPaths.of(e) + "': "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (JsonProcessingException e) {
      throw new BadInputException(origin + ": " + e.getOriginalMessage().lines().findFirst()
          .orElse("invalid YAML") + " (line " + e.getLocation().getLineNr() + ")");
    }
  }

  /** Turns a parsed fleet into pools of engine models, computing KV capacity where needed. */
  public static Fleet resolve(FleetConfig c) {
    String name = Objects.requireNonNullElse(c.name(), "fleet");
    ModelSpec model = model(c);
    Gpu gpu = (c.gpu() != null ? c.gpu() : new GpuRef(null)).resolve(c.gpuPrice());
    double price = c.gpuPrice() != null ? c.gpuPrice() : gpu.dollarsPerHour();
    double utilization = c.gpuMemoryUtilization() != null ? c.gpuMemoryUtilization() : 0.9;
    String perfName = Objects.requireNonNullElse(c.perfModel(), "affine").toLowerCase(Locale.ROOT);
    if (c.pools() == null || c.pools().isEmpty()) {
      throw new BadInputException(name + ": 'pools' must list at least one pool");
    }
    List<PoolSetup> pools = new ArrayList<>();
    List<String> log = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int previousLen = 0;
    for (int i = 0; i < c.pools().size(); i++) {
      FleetConfig.Pool p = c.pools().get(i);
      String where = "pools[" + i + "]";
      String poolName = required(p.name(), where + ".name");
      if (!names.add(poolName)) {
        throw new BadInputException(where + ".name '" + poolName + "' is used twice");
      }
      int instances = nonNegative(p.instances(), 1, where + ".instances");
      int tp = positive(p.tensorParallel(), 1, where + ".tensor-parallel");
      int billed = positive(p.billedGpusPerInstance(), tp, where + ".billed-gpus-per-instance");
      int maxLen = positive(p.maxModelLen(), 0, where + ".max-model-len");
      if (maxLen < previousLen) {
        throw new BadInputException(where + ".max-model-len (" + maxLen
            + ") must not be smaller than the previous pool's (" + previousLen + ")");
      }
      previousLen = maxLen;
      int seqs = positive(p.maxNumSeqs(), 256, where + ".max-num-seqs");
      int batched = positive(p.maxNumBatchedTokens(), 8192, where + ".max-num-batched-tokens");
      int queue = nonNegative(p.maxNumQueuedReqs(), 0, where + ".max-num-queued-reqs");
      boolean forced = p.numGpuBlocks() != null;
      String oom = Objects.requireNonNullElse(c.oom(), forced ? "off" : "physical");
      if (!oom.equals("off") && !oom.equals("physical")) {
        throw new BadInputException("oom '" + oom + "' must be 'physical' or 'off'");
      }
      KvCapacity kv = null;
      if (!forced) {
        try {
          kv = KvCapacity.compute(model, gpu, tp, utilization, batched, seqs, maxLen,
              EngineConfig.DEFAULT_BLOCK_SIZE);
        } catch (BadInputException e) {
          throw new BadInputException("pool '" + poolName + "': " + e.getMessage());
        }
      }
      int blocks = forced ? positive(p.numGpuBlocks(), 0, where + ".num-gpu-blocks")
          : (int) Math.min(Integer.MAX_VALUE, kv.blocks());
      MemoryLimit memory = !oom.equals("physical") ? MemoryLimit.NONE
          : kv != null ? kv.memoryLimit()
          : KvCapacity.memoryLimit(model, gpu, tp, EngineConfig.DEFAULT_BLOCK_SIZE);
      EngineConfig engine;
      try {
        engine = new EngineConfig(maxLen, seqs, batched, EngineConfig.DEFAULT_BLOCK_SIZE, blocks,
            queue, memory, p.enablePrefixCaching() == null || p.enablePrefixCaching());
      } catch (IllegalArgumentException e) {
        throw new BadInputException("pool '" + poolName + "': " + e.getMessage());
      }
      PerfModel perf = switch (perfName) {
        case "affine" -> affine(c.affine());
        case "roofline" -> roofline(RooflinePerfModel.of(model, gpu, tp), c.roofline());
        default -> throw new BadInputException("perf-model '" + c.perfModel()
            + "' must be 'affine' or 'roofline'");
      };
      log.add(String.format(Locale.US, "[%s] %s x %d %s, TP %d: %s%s", poolName, model.name(),
          instances, gpu.name(), tp, forced ? "num-gpu-blocks forced: " : "",
          String.format(Locale.US, "GPU KV cache size: %,d tokens; maximum concurrency for %,d "
              + "tokens per request: %.2fx", (long) blocks * EngineConfig.DEFAULT_BLOCK_SIZE,
              maxLen, (double) blocks * EngineConfig.DEFAULT_BLOCK_SIZE / maxLen)));
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("max_model_len", maxLen);
      settings.put("max_num_seqs", seqs);
      settings.put("max_num_batched_tokens", batched);
      settings.put("block_size", EngineConfig.DEFAULT_BLOCK_SIZE);
      settings.put("num_gpu_blocks", blocks);
      settings.put("num_gpu_blocks_forced", forced);
      settings.put("tensor_parallel", tp);
      settings.put("gpu_memory_utilization", utilization);
      settings.put("max_num_queued_reqs", queue);
      settings.put("oom", oom);
      settings.put("perf_model", perf.describe());
      // the price reports turn into $/year: the fleet file's, else the GPU catalog's default
      settings.put("dollars_per_gpu_hour", price);
      settings.put("gpu_price_source", c.gpuPrice() != null ? "fleet gpu-price / --gpu-price"
          : "catalog " + gpu.name() + ": " + gpu.priceSource());
      pools.add(new PoolSetup(poolName, instances, billed, engine, perf, gpu.name(), price,
          settings));
    }
    FleetConfig.Routing r = c.routing() != null ? c.routing()
        : new FleetConfig.Routing(null, null, null, null, null);
    String policy = Objects.requireNonNullElse(r.policy(),
        pools.size() == 1 ? "single" : "token-budget");
    int bShort = r.shortBudgetTokens() != null ? r.shortBudgetTokens()
        : pools.get(0).engine().maxModelLen();
    boolean spill = r.spillover() == null || r.spillover();
    double pressure = r.spillPressure() != null ? r.spillPressure() : 0.85;
    String picker = PickerKind.named(Objects.requireNonNullElse(r.instancePicker(),
        "least-requests")).pickerName();
    PolicyKind.named(policy);
    FaultSetup faults = faults(c.faults(), pools);
    long seed = c.seed() != null ? c.seed() : 1L;
    boolean sendOutput = c.sendOutputAsMaxTokens() == null || c.sendOutputAsMaxTokens();
    double timeoutS = c.clientTimeoutS() != null ? c.clientTimeoutS() : 0;
    if (timeoutS < 0) {
      throw new BadInputException("client-timeout-s (" + timeoutS + ") must be >= 0");
    }
    return new Fleet(c.withName(name), pools, policy, bShort, spill, pressure, picker, faults,
        seed,
        sendOutput, log, (long) (timeoutS * 1e9));
  }

  /** The fleet's model: the catalog's {@code model}, or the one {@code model-config} derives. */
  static ModelSpec model(FleetConfig c) {
    boolean named = c.model() != null && !c.model().isBlank();
    boolean configured = c.modelConfig() != null && !c.modelConfig().isBlank();
    if (named == configured) {
      throw new BadInputException(named
          ? "fleet keys 'model' (" + c.model() + ") and 'model-config' (" + c.modelConfig()
              + ") are both set; expected exactly one"
          : "fleet key 'model' or 'model-config' is required; expected a catalog model name or "
              + "the path of a Hugging Face config.json");
    }
    if (named) {
      return Catalog.model(c.model(), c.dtype(), c.kvCacheDtype());
    }
    try {
      return HfModelConfig.load(Path.of(c.modelConfig()), c.dtype(), c.kvCacheDtype());
    } catch (BadInputException e) {
      throw new BadInputException("fleet key 'model-config': " + e.getMessage(), e);
    }
  }

  private static PerfModel affine(FleetConfig.Affine a) {
    if (a == null) {
      return AffinePerfModel.PAPER_LLAMA70B_A100;
    }
    double w = a.wMs() != null ? a.wMs() : 8.0;
    double h = a.hMs() != null ? a.hMs() : 0.65;
    int ref = a.refContext() != null ? a.refContext() : 8192;
    try {
      return new AffinePerfModel(Math.round(w * 1e6), Math.round(h * 1e6), ref);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("affine: " + e.getMessage());
    }
  }

  private static PerfModel roofline(RooflinePerfModel base, FleetConfig.Roofline r) {
    if (r == null) {
      return base;
    }
    double compute = r.computeEfficiency() != null ? r.computeEfficiency()
        : base.computeEfficiency();
    double memory = r.memoryEfficiency() != null ? r.memoryEfficiency() : base.memoryEfficiency();
    double overheadMs = r.overheadMs() != null ? r.overheadMs() : base.overheadNanos() / 1e6;
    if (!(compute > 0 && compute <= 1) || !(memory > 0 && memory <= 1) || !(overheadMs >= 0)) {
      throw new BadInputException("roofline: compute-efficiency (" + compute + ") and "
          + "memory-efficiency (" + memory + ") must be in (0, 1], overhead-ms (" + overheadMs
          + ") >= 0");
    }
    return new RooflinePerfModel(base.activeParams(), base.totalParams(),
        base.weightBytesPerParam(), base.attentionFlopsPerContextToken(), base.kvBytesPerToken(),
        base.tensorParallel(), base.peakFlops(), base.hbmBytesPerSecond(), compute, memory,
        Math.round(overheadMs * 1e6));
  }

  private static FaultSetup faults(FleetConfig.Faults f, List<PoolSetup> pools) {
    if (f == null) {
      return FaultSetup.NONE;
    }
    double mtbfHours = f.mtbfHours() != null ? f.mtbfHours() : 0;
    double restartS = f.restartS() != null ? f.restartS() : 60;
    if (mtbfHours < 0 || restartS < 0) {
      throw new BadInputException("faults: mtbf-hours (" + mtbfHours + ") and restart-s ("
          + restartS + ") must be >= 0");
    }
    List<FaultSetup.At> at = new ArrayList<>();
    if (f.at() != null) {
      for (int i = 0; i < f.at().size(); i++) {
        FleetConfig.FaultAt a = f.at().get(i);
        String where = "faults.at[" + i + "]";
        int pool = -1;
        for (int p = 0; p < pools.size(); p++) {
          if (pools.get(p).name().equals(a.pool())) {
            pool = p;
          }
        }
        if (pool < 0) {
          throw new BadInputException(where + ".pool '" + a.pool() + "' is not a pool of the "
              + "fleet");
        }
        int instance = a.instance() != null ? a.instance() : 0;
        if (instance < 0 || instance >= pools.get(pool).instances()) {
          throw new BadInputException(where + ".instance (" + instance + ") must be in [0, "
              + pools.get(pool).instances() + ")");
        }
        double s = a.atS() != null ? a.atS() : 0;
        at.add(new FaultSetup.At((long) (s * 1e9), pool, instance));
      }
    }
    return new FaultSetup((long) (mtbfHours * 3600e9), (long) (restartS * 1e9), at);
  }

  private static String required(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new BadInputException("fleet key '" + key + "' is required");
    }
    return value;
  }

  private static int positive(Integer value, int fallback, String key) {
    int v = value != null ? value : fallback;
    if (v <= 0) {
      throw new BadInputException("'" + key + "' (" + v + ") must be > 0");
    }
    return v;
  }

  private static int nonNegative(Integer value, int fallback, String key) {
    int v = value != null ? value : fallback;
    if (v < 0) {
      throw new BadInputException("'" + key + "' (" + v + ") must be >= 0");
    }
    return v;
  }
}
