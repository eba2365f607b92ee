package io.poolbench.harness.compare;

import io.poolbench.harness.mock.MockFleets;
import io.poolbench.harness.mock.MockInstance;
import io.poolbench.harness.mock.MockServer;
import io.poolbench.harness.mock.MockSettings;
import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.harness.sim.Simulation;
import io.poolbench.loadgen.LoadRun;
import io.poolbench.loadgen.metrics.EngineEndpoint;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.router.policy.PolicyKind;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceSource;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
   * @param sized per mode, the fleet it was sized to (--sized): it replaces
   *     {@link #fleetFor(String)}'s equal-GPU fleet; empty for an equal-GPU comparison
   */
  public record Plan(FleetConfig fleet, List<String> modes, List<Kind> kinds, Summary.Slo slo,
      long seed, Map<String, FleetConfig> sized) {

    public Plan {
      modes = List.copyOf(modes);
      kinds = List.copyOf(kinds);
      sized = Map.copyOf(sized);
    }

    /** An equal-GPU comparison. */
    public Plan(FleetConfig fleet, List<String> modes, List<Kind> kinds, Summary.Slo slo,
        long seed) {
      this(fleet, modes, kinds, slo, seed, Map.of());
    }
  }

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

  /** The fleet a mode runs on: its sized fleet, else the equal-GPU one. */
  public FleetConfig fleetFor(String mode) {
    FleetConfig sized = plan.sized().get(mode);
    return sized != null ? sized : equalGpuFleet(plan.fleet(), mode);
  }

  /** The name of the one pool of a {@code single} mode's fleet. */
  public static final String HOMOGENEOUS_POOL = "homogeneous";

  /** The suffix that adds prefix affinity to a mode: {@code token-budget+affinity}. */
  public static final String AFFINITY_SUFFIX = "+affinity";

  /** The router-core policy of {@code mode}: its name without {@link #AFFINITY_SUFFIX}. */
  public static String policyOf(String mode) {
    int plus = mode.indexOf('+');
    return plus < 0 ? mode : mode.substring(0, plus);
  }

  /** True when {@code mode} picks endpoints by prefix affinity ({@code <policy>+affinity}). */
  public static boolean affinity(String mode) {
    return mode.toLowerCase(Locale.ROOT).endsWith(AFFINITY_SUFFIX);
  }

  /** True for the one-pool modes, {@code single} and {@code single+affinity}. */
  public static boolean isSingle(String mode) {
    return policyOf(mode).equalsIgnoreCase("single");
  }

  /**
   * Checks a mode's spelling: a router-core policy, optionally followed by {@code +affinity}.
   *
   * @throws BadInputException naming the mode and the expected form
   */
  public static void checkMode(String mode) {
    int plus = mode.indexOf('+');
    if (plus >= 0 && !mode.substring(plus).equalsIgnoreCase(AFFINITY_SUFFIX)) {
      throw new BadInputException("Unknown mode suffix in '" + mode
          + "': expected <policy> or <policy>+affinity (for example token-budget+affinity)");
    }
    PolicyKind.named(policyOf(mode));
  }

  /**
   * The fleet of {@code mode} at the GPUs of {@code c}: {@code single} is every instance
   * configured like the largest pool; any other mode is {@code c} routed by that policy. A
   * {@code +affinity} mode picks endpoints inside each pool with {@code prefix-affinity}; others
   * keep {@code c}'s picker.
   */
  public static FleetConfig equalGpuFleet(FleetConfig c, String mode) {
    FleetConfig.Routing r = c.routing();
    String picker = affinity(mode) ? "prefix-affinity" : r == null ? null : r.instancePicker();
    String policy = policyOf(mode);
    if (!isSingle(mode)) {
      return c.withRouting(new FleetConfig.Routing(policy,
          r == null ? null : r.shortBudgetTokens(), r == null ? null : r.spillover(),
          r == null ? null : r.spillPressure(), picker));
    }
    List<FleetConfig.Pool> pools = c.pools();
    FleetConfig.Pool largest = pools.get(pools.size() - 1);
    int instances = pools.stream().mapToInt(FleetConfig.Pool::instances).sum();
    // the one pool takes every request: name it for that, not after the pool it copies
    return c.withName(c.name() + "-homogeneous")
        .withPools(List.of(largest.withInstances(instances).withName(HOMOGENEOUS_POOL)))
        .withRouting(new FleetConfig.Routing("single", null, false, null, picker));
  }

  /** Runs every mode and kind; {@code out} gets one run directory each. */
  public List<Run> run(TraceSource trace, Path out) throws Exception {
    List<Run> runs = new ArrayList<>();
    for (String mode : plan.modes()) {
      Fleet fleet = FleetConfigs.resolve(fleetFor(mode).withSeed(plan.seed()));
      if (plan.kinds().contains(Kind.SIM)) {
        Path dir = out.resolve(mode + "-sim");
        log.printf("%s: simulating on %s (%d GPUs)%n", mode, fleet.name(), fleet.gpus());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("compare_mode", mode);
        if (plan.sized().containsKey(mode)) {
          extra.put("sized", true);
          extra.put("gpus_needed", fleet.gpus());
        }
        Simulation.Report report = Simulation.run(fleet, trace, dir, new Simulation.Options(
            plan.slo(), 1_000_000_000L, version, commit, extra));
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
    String model = fleet.config().modelName();
    try (MockServer mock = MockServer.start(MockSettings.defaults().withSeed(plan.seed())
        .withPromptTokensDetails(true),
        MockFleets.specs(fleet, model, 0), line -> { })) {
      List<List<URI>> endpoints = new ArrayList<>();
      List<EngineEndpoint> engines = new ArrayList<>();
      List<String> pools = new ArrayList<>();
      Map<String, Integer> gpus = new LinkedHashMap<>();
      for (PoolSetup pool : fleet.pools()) {
        pools.add(pool.name());
        gpus.put(pool.name(), pool.gpus());
        List<URI> urls = new ArrayList<>();
        for (MockInstance i : mock.instances()) {
          if (i.spec().pool().equals(pool.name())) {
            urls.add(URI.create(i.url()));
            engines.add(new EngineEndpoint(pool.name(), URI.create(i.url())));
          }
        }
        endpoints.add(urls);
      }
      try (ProxyServer router = ProxyServer.start(
          ProxySettings.defaults(fleet.routerSettings(), endpoints)
              .withPicker(fleet.instancePicker()))) {
        String startedAt = Instant.now().toString();
        LoadRun.Result result = new LiveReplay(URI.create(router.url()), router.router(), pools,
            gpus, engines, model, plan.slo(), plan.seed()).run(trace, dir,
            out.resolve(".warmup-" + mode), log);
        RunDirectory.open(dir).writeRunInfo(runInfo(mode, fleet, trace, startedAt, result));
        return result.summary();
      }
    }
  }

  private RunInfo runInfo(String mode, Fleet fleet, TraceSource trace, String startedAt,
      LoadRun.Result result) {
    List<RunInfo.Pool> pools = new ArrayList<>();
    for (PoolSetup p : fleet.pools()) {
      pools.add(new RunInfo.Pool(p.name(), p.instances(), p.gpu(), p.gpusPerInstance(), p.gpus(),
          fleet.config().modelName(), p.settings()));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("policy", fleet.policy());
    config.put("compare_mode", mode);
    config.put("fleet", fleet.config());
    config.put("router", "poolbench router service in front of the mock fleet");
    config.put("slo", plan.slo());
    config.put("hlog_interval_s", LiveReplay.INTERVAL.toMillis() / 1000.0);
    config.put("time_scale", 1.0);
    config.put("scrape_metrics", "every mock instance's /metrics (preemptions, engine-metrics.csv)");
    if (plan.sized().containsKey(mode)) {
      config.put("sized", true);
      config.put("gpus_needed", fleet.gpus());
    }
    return new RunInfo("loadgen", version, commit, startedAt, plan.seed(),
        new RunInfo.Trace(trace.name(), result.traceDigest(), result.plannedRows()), pools,
        fleet.gpus(), config, RunInfo.currentEnvironment());
  }
}
