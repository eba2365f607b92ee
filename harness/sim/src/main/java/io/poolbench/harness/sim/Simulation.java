package io.poolbench.harness.sim;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.RunRecorder;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.TraceSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One simulation run end to end: fleet + trace in, a complete run directory out. */
public final class Simulation {

  /**
   * What a run produced.
   *
   * @param summary summary.json's content
   * @param result the simulator's own totals
   * @param wallNanos wall-clock time of the run
   */
  public record Report(Summary summary, FleetSimulator.Result result, long wallNanos) {

    /** Simulated requests per wall-clock second. */
    public double requestsPerWallSecond() {
      return result.arrivals() / (wallNanos / 1e9);
    }
  }

  /**
   * Settings of a run besides the fleet.
   *
   * @param slo goodput objective
   * @param intervalNanos latency.hlog interval in virtual time
   * @param version tool version for run.json
   * @param commit tool commit for run.json
   * @param extraConfig more effective settings for run.json (flags, trace transforms)
   */
  public record Options(Summary.Slo slo, long intervalNanos, String version, String commit,
      Map<String, Object> extraConfig) {

    /** The papers' SLO (P99 TTFT 2 s, P99 TPOT 80 ms), 10-second intervals. */
    public static Options defaults() {
      return new Options(new Summary.Slo(2000, 80), 10_000_000_000L, "dev", "unknown",
          Map.of());
    }
  }

  private Simulation() {}

  /** Simulates {@code source} on {@code fleet} and writes the run directory {@code out}. */
  public static Report run(Fleet fleet, TraceSource source, Path out, Options options) {
    long wallStart = System.nanoTime();
    RunDirectory dir = RunDirectory.create(out);
    List<PoolSetup> pools = fleet.pools();
    RunRecorder recorder = new RunRecorder(dir, pools.stream().map(PoolSetup::name).toList(),
        pools.stream().mapToInt(PoolSetup::gpus).toArray(),
        pools.stream().mapToInt(PoolSetup::instances).toArray(), options.slo(),
        options.intervalNanos(), System.currentTimeMillis());
    Routing routing = Routings.create(fleet);
    RoutingLogWriter routingLog = new RoutingLogWriter();
    FleetSimulator sim = new FleetSimulator(pools, routing, recorder, fleet.faults(),
        fleet.sendOutputAsMaxTokens(), fleet.seed()).withClientTimeout(fleet.clientTimeoutNanos())
        .withRoutingLog(routingLog, options.intervalNanos());
    FleetSimulator.Result result;
    try {
      result = sim.run(source);
    } catch (RuntimeException e) {
      recorder.close();
      throw e;
    }
    Summary summary = recorder.finish(result.endNanos());
    routingLog.write(dir);
    dir.writeRunInfo(runInfo(fleet, source, routing, result, options));
    return new Report(summary, result, System.nanoTime() - wallStart);
  }

  private static RunInfo runInfo(Fleet fleet, TraceSource source, Routing routing,
      FleetSimulator.Result result, Options options) {
    List<RunInfo.Pool> pools = new ArrayList<>();
    for (PoolSetup p : fleet.pools()) {
      pools.add(new RunInfo.Pool(p.name(), p.instances(), p.gpu(), p.gpusPerInstance(), p.gpus(),
          fleet.config().modelName(), p.settings()));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("fleet", fleet.config());
    config.put("routing", routing.describe());
    config.put("policy", fleet.policy());
    config.put("short_budget_tokens", fleet.shortBudgetTokens());
    config.put("spillover", fleet.spillover());
    config.put("spill_pressure", fleet.spillPressure());
    config.put("instance_picker", fleet.instancePicker());
    config.put("send_output_as_max_tokens", fleet.sendOutputAsMaxTokens());
    config.put("client_timeout_s", fleet.clientTimeoutNanos() / 1e9);
    config.put("slo", options.slo());
    config.put("hlog_interval_s", options.intervalNanos() / 1e9);
    config.put("kv_startup_log", fleet.startupLog());
    config.putAll(options.extraConfig());
    return new RunInfo("simulate", options.version(), options.commit(), Instant.now().toString(),
        fleet.seed(), new RunInfo.Trace(source.name(), result.traceDigest(), result.arrivals()),
        pools, fleet.gpus(), config, RunInfo.currentEnvironment());
  }
}
