package io.poolbench.harness.compare;

import io.poolbench.harness.mock.MockFleets;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.sim.Fleet;
import io.poolbench.harness.sim.FleetConfig;
import io.poolbench.harness.sim.FleetConfigs;
import io.poolbench.harness.sim.PoolSetup;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.loadgen.Api;
import io.poolbench.loadgen.LoadRun;
import io.poolbench.loadgen.LoadgenSettings;
import io.poolbench.loadgen.RequestFactory;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.TokenizerKind;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one trace through several routing modes, live (the mock vLLM fleet with the router
 * service in front, replayed by the load generator) and/or simulated (the fleet simulator), and
 * writes one run directory per mode and kind.
 *
 * <p>A mode is a router-core policy name. {@code single} is the homogeneous fleet: every instance
 * configured like the fleet's largest pool, as many GPUs as the two-pool fleet has (equal GPUs);
 * any other policy routes over the two-pool fleet as configured.
 */
public final class Comparison {

  /** What runs. */
  public enum Kind { LIVE, SIM }

  /**
   * One comparison.
   *
   * @param fleet the two-pool fleet configuration
   * @param modes the policies to compare, e.g. single and token-budget
   * @param kinds live, simulated, or both
   * @param slo the latency objective goodput counts against
   * @param seed seed of prompts and simulation
   */
  public record Plan(FleetConfig fleet, List<String> modes, List<Kind> kinds, Summary.Slo slo,
      long seed) {}

  /** One finished run. */
  public record Run(String mode, Kind kind, Path dir, Summary summary) {}

  private final Plan plan;
  private final PrintStream log;
  private final String version;
  private final String commit;

  public Comparison(Plan plan, PrintStream log, String version, String commit) {
    this.plan = plan;
    this.log = log;
    this.version = version;
    this.commit = commit;
  }

  /** The fleet a mode runs on. */
  public FleetConfig fleetFor(String mode) {
    FleetConfig c = plan.fleet();
    FleetConfig.Routing r = c.routing();
    if (!mode.equalsIgnoreCase("single")) {
      return c.withRouting(new FleetConfig.Routing(mode, r == null ? null : r.shortBudgetTokens(),
          r == null ? null : r.spillover(), r == null ? null : r.spillPressure(),
          r == null ? null : r.instancePicker()));
    }
    List<FleetConfig.Pool> pools = c.pools();
    FleetConfig.Pool largest = pools.get(pools.size() - 1);
    int instances = pools.stream().mapToInt(FleetConfig.Pool::instances).sum();
    return c.withName(c.name() + "-homogeneous")
        .withPools(List.of(largest.withInstances(instances)))
        .withRouting(new FleetConfig.Routing("single", null, false, null,
            r == null ? null : r.instancePicker()));
  }

  /** Runs every mode and kind; {@code out} gets one run directory each. */
  public List<Run> run(TraceSource trace, Path out) throws Exception {
    List<Run> runs = new ArrayList<>();
    for (String mode : plan.modes()) {
      Fleet fleet = FleetConfigs.resolve(fleetFor(mode).withSeed(plan.seed()));
      if (plan.kinds().contains(Kind.SIM)) {
        Path dir = out.resolve(mode + "-sim");
        log.printf("%s: simulating on %s (%d GPUs)%n", mode, fleet.name(), fleet.gpus());
        Simulation.Report report = Simulation.run(fleet, trace, dir, new Simulation.Options(
            plan.slo(), 1_000_000_000L, version, commit, Map.of("compare_mode", mode)));
        runs.add(new Run(mode, Kind.SIM, dir, report.summary()));
      }
      if (plan.kinds().contains(Kind.LIVE)) {
        Path dir = out.resolve(mode + "-live");
        log.printf("%s: live, mock fleet %s (%d instances) behind the router%n", mode,
            fleet.name(), fleet.pools().stream().mapToInt(PoolSetup::instances).sum());
        runs.add(new Run(mode, Kind.LIVE, dir, live(mode, fleet, trace, dir, out)));
      }
    }
    return runs;
  }

  private Summary live(String mode, Fleet fleet, TraceSource trace, Path dir, Path out)
      throws Exception {
    String model = fleet.config().model();
    try (MockServer mock = MockServer.start(MockSettings.defaults().withSeed(plan.seed()),
        MockFleets.specs(fleet, model, 0), line -> { })) {
      List<List<URI>> endpoints = new ArrayList<>();
      for (PoolSetup pool : fleet.pools()) {
        List<URI> urls = new ArrayList<>();
        for (MockInstance i : mock.instances()) {
          if (i.spec().pool().equals(pool.name())) {
            urls.add(URI.create(i.url()));
          }
        }
        endpoints.add(urls);
      }
      try (ProxyServer router = ProxyServer.start(
          ProxySettings.defaults(fleet.routerSettings(), endpoints))) {
        PromptSynthesizer prompts = new PromptSynthesizer(TokenizerKind.CL100K_BASE, plan.seed());
        RequestFactory requests = new RequestFactory(Api.COMPLETIONS, model, true, true,
            ContentCategory.PROSE, prompts);
        // warm both sides up (JIT, tokenizer tables, connections) with a discarded short run
        TraceSource warmup = BuiltinWorkloads.open("azure-conv?rate=10&duration=4s&seed=99");
        new LoadRun(settings(router, fleet), warmup, requests,
            RunDirectory.create(out.resolve(".warmup-" + mode)), log).run();
        Thread.sleep(300);
        String startedAt = Instant.now().toString();
        LoadRun.Result result = new LoadRun(settings(router, fleet), trace, requests,
            RunDirectory.create(dir), log).run();
        RunDirectory.open(dir).writeRunInfo(runInfo(mode, fleet, trace, startedAt, result));
        return result.summary();
      }
    }
  }

  private LoadgenSettings settings(ProxyServer router, Fleet fleet) {
    Map<String, Integer> gpus = new LinkedHashMap<>();
    List<String> pools = new ArrayList<>();
    for (PoolSetup p : fleet.pools()) {
      pools.add(p.name());
      gpus.put(p.name(), p.gpus());
    }
    return new LoadgenSettings(List.of(URI.create(router.url())), pools, gpus, Api.COMPLETIONS,
        fleet.config().model(), true, true, 0, Duration.ofSeconds(10), Duration.ofMinutes(10),
        plan.slo(), null, 2, Duration.ofSeconds(1), Duration.ofSeconds(15), 0, 1, 4096,
        Duration.ZERO);
  }

  private RunInfo runInfo(String mode, Fleet fleet, TraceSource trace, String startedAt,
      LoadRun.Result result) {
    List<RunInfo.Pool> pools = new ArrayList<>();
    for (PoolSetup p : fleet.pools()) {
      pools.add(new RunInfo.Pool(p.name(), p.instances(), p.gpu(), p.gpusPerInstance(), p.gpus(),
          fleet.config().model(), p.settings()));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("policy", fleet.policy());
    config.put("compare_mode", mode);
    config.put("fleet", fleet.config());
    config.put("router", "poolbench router service in front of the mock fleet");
    config.put("time_scale", 1.0);
    return new RunInfo("loadgen", version, commit, startedAt, plan.seed(),
        new RunInfo.Trace(trace.name(), result.traceDigest(), result.plannedRows()), pools,
        fleet.gpus(), config, RunInfo.currentEnvironment());
  }
}
