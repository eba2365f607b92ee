package io.poolbench.harness.cli;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.Preset;
import io.poolbench.harness.fleet.Presets;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The flags that choose and adjust a fleet: a fleet file or a preset, plus overrides. */
public final class FleetOptions {

  /** Exactly one of a fleet file or a preset. */
  static final class Source {
    @Option(names = "--fleet", paramLabel = "<fleet.yaml>", required = true,
        description = "A fleet file (YAML): model, gpu, pools, routing, faults.")
    Path fleetFile;

    @Option(names = "--preset", paramLabel = "<name>", required = true,
        description = "A built-in preset: paper-a100, paper-a100-grounded, paper-mi300x or "
            + "paper-mi300x-grounded.")
    String preset;
  }

  /** Optional to picocli so that compare can offer --router-configs instead; see {@link #config}. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  @Option(names = "--variant", paramLabel = "<variant>", defaultValue = "two-pool",
      description = "With --preset: homogeneous or two-pool. Default: two-pool.")
  String variant;

  @Option(names = "--model-config", paramLabel = "<config.json>",
      description = "Replace the fleet's or preset's model with one derived from this Hugging "
          + "Face config.json (as a fleet file's 'model-config:').")
  Path modelConfig;

  @Option(names = "--dtype", paramLabel = "<dtype>",
      description = "Weight format: auto, bf16, fp16, fp8 (default: the fleet's, else auto).")
  String dtype;

  @Option(names = "--kv-cache-dtype", paramLabel = "<dtype>",
      description = "KV-cache format: auto, bf16, fp16, fp8 (default: the fleet's, else auto).")
  String kvCacheDtype;

  @Option(names = "--instances", paramLabel = "<n>",
      description = "Instances of a one-pool fleet (overrides the file or preset).")
  Integer instances;

  @Option(names = "--short-instances", paramLabel = "<n>",
      description = "Instances of the first (short) pool of a two-pool fleet.")
  Integer shortInstances;

  @Option(names = "--long-instances", paramLabel = "<n>",
      description = "Instances of the last (long) pool of a two-pool fleet.")
  Integer longInstances;

  @Option(names = "--policy", paramLabel = "<name>",
      description = "Router-core pool policy (token-budget, single, prompt-only, oracle, random, "
          + "round-robin, k-pools).")
  String policy;

  @Option(names = "--picker", paramLabel = "<name>",
      description = "Router-core endpoint picker inside a pool (least-requests, least-tokens, "
          + "power-of-two, round-robin, prefix-affinity).")
  String picker;

  @Option(names = "--b-short", paramLabel = "<tokens>",
      description = "The short-pool budget B_short in tokens. Default: the short pool's "
          + "max-model-len.")
  Integer shortBudget;

  @Option(names = "--no-spillover", description = "Turn load-aware spillover off.")
  boolean noSpillover;

  @Option(names = "--num-gpu-blocks", paramLabel = "<n>",
      description = "Force every pool's KV capacity to <n> blocks of 16 tokens, as vLLM's "
          + "--num-gpu-blocks-override does (the papers assume 65536 per A100 instance).")
  Integer numGpuBlocks;

  @Option(names = "--gpu-price", paramLabel = "<dollars>",
      description = "Price per GPU-hour. Default: the catalog's (A100 $2.21, MI300X $3.67).")
  Double gpuPrice;

  @Option(names = "--slo-ttft-p99", paramLabel = "<duration>", defaultValue = "2s",
      description = "TTFT objective for goodput and sizing. Default: 2s.")
  String sloTtft;

  @Option(names = "--slo-tpot-p99", paramLabel = "<duration>", defaultValue = "80ms",
      description = "TPOT objective for goodput and sizing. Default: 80ms.")
  String sloTpot;

  /** Whether --fleet or --preset was given. */
  boolean given() {
    return source != null;
  }

  /** The preset, or null for a fleet file. */
  Preset preset() {
    return required().preset == null ? null : Presets.named(source.preset);
  }

  private Source required() {
    if (source == null) {
      throw new BadInputException("Missing required option: --fleet=<fleet.yaml> or "
          + "--preset=<name>");
    }
    return source;
  }

  /** The chosen fleet configuration with the overrides applied, before resolution. */
  FleetConfig config(long seed) {
    required();
    FleetConfig c = source.fleetFile != null ? FleetConfigs.load(source.fleetFile)
        : preset().variant(variant);
    return adjust(c, seed);
  }

  /** Applies the routing, price, instance and seed overrides to {@code c}. */
  FleetConfig adjust(FleetConfig c, long seed) {
    List<FleetConfig.Pool> pools = new ArrayList<>(c.pools());
    if (instances != null) {
      if (pools.size() != 1) {
        throw new BadInputException("--instances applies to a one-pool fleet; this one has "
            + pools.size() + " pools (use --short-instances/--long-instances)");
      }
      pools.set(0, pools.get(0).withInstances(instances));
    }
    if (shortInstances != null || longInstances != null) {
      if (pools.size() < 2) {
        throw new BadInputException("--short-instances/--long-instances need a fleet of two or "
            + "more pools");
      }
      if (shortInstances != null) {
        pools.set(0, pools.get(0).withInstances(shortInstances));
      }
      if (longInstances != null) {
        pools.set(pools.size() - 1, pools.get(pools.size() - 1).withInstances(longInstances));
      }
    }
    if (numGpuBlocks != null) {
      if (numGpuBlocks <= 0) {
        throw new BadInputException("--num-gpu-blocks (" + numGpuBlocks + ") must be > 0");
      }
      pools.replaceAll(p -> p.withNumGpuBlocks(numGpuBlocks));
    }
    if (modelConfig != null) {
      if (!java.nio.file.Files.isRegularFile(modelConfig)) {
        throw new BadInputException("--model-config '" + modelConfig + "': no such file; "
            + "expected the path of a Hugging Face config.json");
      }
      c = c.withModel(null, modelConfig.toAbsolutePath().normalize().toString(), dtype,
          kvCacheDtype);
    } else if (dtype != null || kvCacheDtype != null) {
      c = c.withModel(c.model(), c.modelConfig(), dtype, kvCacheDtype);
    }
    c = c.withPools(pools);
    FleetConfig.Routing r = c.routing() != null ? c.routing()
        : new FleetConfig.Routing(null, null, null, null, null);
    c = c.withRouting(new FleetConfig.Routing(policy != null ? policy : r.policy(),
        shortBudget != null ? shortBudget : r.shortBudgetTokens(),
        noSpillover ? Boolean.FALSE : r.spillover(), r.spillPressure(),
        picker != null ? picker : r.instancePicker()));
    if (gpuPrice != null) {
      c = c.withGpuPrice(gpuPrice);
    }
    if (c.seed() == null) {
      c = c.withSeed(seed);
    }
    return c;
  }

  Fleet fleet(long seed) {
    return FleetConfigs.resolve(config(seed));
  }

  Summary.Slo slo() {
    return new Summary.Slo(Quantities.durationNanos(sloTtft, "--slo-ttft-p99") / 1e6,
        Quantities.durationNanos(sloTpot, "--slo-tpot-p99") / 1e6);
  }
}
