package io.poolbench.harness.cli;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.GpuRef;
import io.poolbench.harness.sim.calibrate.Calibration;
import io.poolbench.harness.sim.calibrate.Calibrator;
import io.poolbench.harness.sim.calibrate.RecordedRun;
import io.poolbench.harness.sim.calibrate.Replay;
import io.poolbench.harness.sim.calibrate.ReplayStats;
import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poolbench calibrate}: fits the step-time model to a measured run. */
@Command(
    name = "calibrate",
    header = "Fit the engine model's step time to a run measured against a real endpoint.",
    description = {
      "Replays the run's ok requests (same arrival times, prompt tokens, generated tokens as "
          + "the output target, each on the instance that served it) through the engine model "
          + "in virtual time, and searches the step-time constants (affine: W and H; roofline: "
          + "compute efficiency, memory efficiency, overhead) that minimise the per-request mean "
          + "absolute relative error of TTFT and E2E. Prints the fitted constants, the fit "
          + "before (the settings' default model) and after, and a perf block for a fleet file.",
      "Engine settings come from --fleet or from the flags (flags override the file)."
    })
public final class CalibrateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<rundir>",
      description = "Run directory of the measured run (loadgen -o).")
  Path runDir;

  @Option(names = "--fleet", paramLabel = "<fleet.yaml>",
      description = "A fleet file with the settings the run used.")
  Path fleetFile;

  @Option(names = "--model", paramLabel = "<name>", description = "Catalog model name.")
  String model;

  @Option(names = "--gpu", paramLabel = "<name>", description = "Catalog GPU name.")
  String gpu;

  @Option(names = "--tensor-parallel", paramLabel = "<n>", description = "GPUs per instance (1).")
  Integer tensorParallel;

  @Option(names = "--max-num-seqs", paramLabel = "<n>", description = "vLLM --max-num-seqs (256).")
  Integer maxNumSeqs;

  @Option(names = "--max-num-batched-tokens", paramLabel = "<n>",
      description = "vLLM --max-num-batched-tokens (8192).")
  Integer maxNumBatchedTokens;

  @Option(names = "--max-model-len", paramLabel = "<n>", description = "vLLM --max-model-len.")
  Integer maxModelLen;

  @Option(names = "--num-gpu-blocks", paramLabel = "<n>",
      description = "KV blocks per instance (default: computed from memory).")
  Integer numGpuBlocks;

  @Option(names = "--instances", paramLabel = "<n>",
      description = "Instances (default with flags: one per instance seen in the run).")
  Integer instances;

  @Option(names = "--perf-model", paramLabel = "<kind>", defaultValue = "affine",
      description = "affine or roofline (default: ${DEFAULT-VALUE}).")
  String perfModel;

  @Option(names = "--ttft-weight", paramLabel = "<w>", defaultValue = "0.5",
      description = "Weight of the TTFT error in the objective; E2E gets 1 - w "
          + "(default: ${DEFAULT-VALUE}).")
  double ttftWeight;

  @Option(names = {"-o", "--output"}, paramLabel = "<perf.yaml>",
      description = "Also write the fitted perf block to this file.")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Calibrator.Kind kind = Calibrator.Kind.named(perfModel);
    RecordedRun run = RecordedRun.load(runDir);
    FleetConfig config = config(run);
    String name = kind == Calibrator.Kind.AFFINE ? "affine" : "roofline";
    config = config.withPerf(name, config.affine(), config.roofline());
    Fleet fleet = FleetConfigs.resolve(config);
    Calibration c = new Calibrator(new Replay(run, fleet.pools()), kind, ttftWeight).fit();
    PrintWriter out = spec.commandLine().getOut();
    print(out, c);
    if (output != null) {
      Files.writeString(output, c.perfBlock());
      out.println("perf block written to " + output);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private FleetConfig config(RecordedRun run) {
    FleetConfig c;
    if (fleetFile != null) {
      c = FleetConfigs.load(fleetFile);
    } else {
      List<String> missing = new ArrayList<>();
      if (model == null) {
        missing.add("--model");
      }
      if (gpu == null) {
        missing.add("--gpu");
      }
      if (maxModelLen == null) {
        missing.add("--max-model-len");
      }
      if (!missing.isEmpty()) {
        throw new BadInputException("Missing engine settings: " + String.join(", ", missing)
            + " (or give --fleet <fleet.yaml>)");
      }
      int seen = (int) run.requests().stream().map(r -> r.pool() + "#" + r.instance()).distinct()
          .count();
      c = new FleetConfig("calibrate", model, gpu, null, null, null, null, null,
          List.of(new FleetConfig.Pool("pool", seen, null, null, maxModelLen, null, null, null,
              null)), null, null, 1L, null, null);
    }
    List<FleetConfig.Pool> pools = new ArrayList<>();
    for (FleetConfig.Pool p : c.pools()) {
      pools.add(new FleetConfig.Pool(p.name(), instances != null ? instances : p.instances(),
          tensorParallel != null ? tensorParallel : p.tensorParallel(), p.billedGpusPerInstance(),
          maxModelLen != null ? maxModelLen : p.maxModelLen(),
          maxNumSeqs != null ? maxNumSeqs : p.maxNumSeqs(),
          maxNumBatchedTokens != null ? maxNumBatchedTokens : p.maxNumBatchedTokens(),
          numGpuBlocks != null ? numGpuBlocks : p.numGpuBlocks(), p.maxNumQueuedReqs()));
    }
    return new FleetConfig(c.name(), model != null ? model : c.model(), gpu != null
        ? GpuRef.named(gpu) : c.gpu(), c.gpuPrice(), c.perfModel(), c.affine(), c.roofline(),
        c.gpuMemoryUtilization(), c.oom(), pools, c.routing(), c.faults(), c.seed(),
        c.sendOutputAsMaxTokens(), c.clientTimeoutS(), model != null ? null : c.modelConfig(),
        c.dtype(), c.kvCacheDtype());
  }

  static void print(PrintWriter out, Calibration c) {
    out.printf(Locale.US, "%s fit from %,d of %,d rows (ok requests with a first token), %d "
        + "replays%n", c.kind().name().toLowerCase(Locale.ROOT), c.used(), c.rows(),
        c.evaluations());
    out.println("start (before): " + c.start().describe());
    out.println("fitted (after): " + c.fitted().describe());
    c.values().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> out.printf(Locale.US, "  %s = %.4f%n", e.getKey(), e.getValue()));
    out.printf(Locale.US, "per-request mean abs error: TTFT %.2f%% -> %.2f%%, E2E %.2f%% -> "
        + "%.2f%% (objective %.4f -> %.4f, TTFT weight %.2f)%n", c.before().ttftMaePct(),
        c.after().ttftMaePct(), c.before().e2eMaePct(), c.after().e2eMaePct(),
        c.before().objective(), c.after().objective(), c.ttftWeight());
    out.printf(Locale.US, "%-9s %10s %12s %8s %12s %8s%n", "metric", "run ms", "before ms",
        "err", "after ms", "err");
    for (ReplayStats.Quantile a : c.after().quantiles()) {
      ReplayStats.Quantile b = c.before().quantile(a.metric(), a.percentile());
      out.printf(Locale.US, "%-9s %10.2f %12.2f %7.1f%% %12.2f %7.1f%%%n",
          a.metric() + " p" + (int) a.percentile(), a.runMs(), b.replayMs(), b.errorPct(),
          a.replayMs(), a.errorPct());
    }
    out.println("fleet-file perf block:");
    out.print(c.perfBlock());
  }
}
