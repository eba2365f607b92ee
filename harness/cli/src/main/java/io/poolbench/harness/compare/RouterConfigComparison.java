package io.poolbench.harness.compare;

import io.poolbench.loadgen.LoadRun;
import io.poolbench.loadgen.metrics.EngineEndpoint;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.config.RouterConfigs;
import io.poolbench.traces.TraceSource;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one trace through several router configurations against real (or staging) engines: for
 * each mode, the poolbench router service starts in-process with that mode's config file, the
 * load generator replays the trace through it, and every engine named in the file has its
 * {@code /metrics} read around the run. One run directory per mode, {@code <mode>-live}.
 *
 * <p>The router always runs in this process. By default it listens on an ephemeral loopback
 * port, so the file's {@code listen} address need not be free; {@link Plan#keepListen} uses the
 * file's address instead. A router config holds no GPU count: each pool is billed
 * {@code endpoints × gpusPerEndpoint} GPUs, and run.json says so.
 */
public final class RouterConfigComparison {

  /**
   * One comparison.
   *
   * @param modes one name per config, in the same order (run directory names and labels)
   * @param configs the router config files
   * @param gpusPerEndpoint GPUs behind each engine URL, for per-GPU figures
   * @param model the {@code model} field of every request
   * @param slo the latency objective of goodput
   * @param seed seed of the prompts
   * @param keepListen start each router on its file's {@code listen} address instead of an
   *     ephemeral loopback port
   */
  public record Plan(List<String> modes, List<Path> configs, int gpusPerEndpoint, String model,
      Summary.Slo slo, long seed, boolean keepListen) {

    public Plan {
      modes = List.copyOf(modes);
      configs = List.copyOf(configs);
      if (modes.size() != configs.size()) {
        throw new IllegalArgumentException(modes.size() + " modes for " + configs.size()
            + " router configs");
      }
      if (gpusPerEndpoint < 1) {
        throw new IllegalArgumentException("gpus per endpoint (" + gpusPerEndpoint
            + ") must be >= 1");
      }
    }
  }

  private final Plan plan;
  private final PrintStream log;
  private final String version;
  private final String commit;

  public RouterConfigComparison(Plan plan, PrintStream log, String version, String commit) {
    this.plan = plan;
    this.log = log;
    this.version = version;
    this.commit = commit;
  }

  /** Loads every config first (so a bad file fails before anything runs), then runs each mode. */
  public List<Comparison.Run> run(TraceSource trace, Path out) throws Exception {
    List<ProxySettings> settings = new ArrayList<>();
    for (Path config : plan.configs()) {
      ProxySettings s = RouterConfigs.load(config);
      settings.add(plan.keepListen() ? s : s.withListen("127.0.0.1", 0));
    }
    List<Comparison.Run> runs = new ArrayList<>();
    for (int i = 0; i < settings.size(); i++) {
      String mode = plan.modes().get(i);
      ProxySettings s = settings.get(i);
      List<String> pools = new ArrayList<>();
      Map<String, Integer> gpus = new LinkedHashMap<>();
      List<EngineEndpoint> engines = new ArrayList<>();
      for (int p = 0; p < s.router().pools().size(); p++) {
        String name = s.router().pools().get(p).name();
        pools.add(name);
        gpus.put(name, s.endpoints().get(p).size() * plan.gpusPerEndpoint());
        for (URI url : s.endpoints().get(p)) {
          engines.add(new EngineEndpoint(name, url));
        }
      }
      Path dir = out.resolve(mode + "-live");
      try (ProxyServer router = ProxyServer.start(s)) {
        log.printf("%s: live, router (%s, %s) on %s in front of %d endpoints%n", mode,
            plan.configs().get(i), s.router().policy(), router.url(), engines.size());
        String startedAt = Instant.now().toString();
        LoadRun.Result result = new LiveReplay(URI.create(router.url()), router.router(), pools,
            gpus, engines, plan.model(), plan.slo(), plan.seed()).run(trace, dir,
            out.resolve(".warmup-" + mode), log);
        RunDirectory.open(dir).writeRunInfo(runInfo(i, s, router, trace, startedAt, result));
        runs.add(new Comparison.Run(mode, Comparison.Kind.LIVE, dir, result.summary()));
      }
    }
    return runs;
  }

  private RunInfo runInfo(int index, ProxySettings s, ProxyServer router, TraceSource trace,
      String startedAt, LoadRun.Result result) {
    List<RunInfo.Pool> pools = new ArrayList<>();
    int total = 0;
    for (int p = 0; p < s.router().pools().size(); p++) {
      PoolSpec spec = s.router().pools().get(p);
      int endpoints = s.endpoints().get(p).size();
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("max_model_len", spec.maxModelLen());
      settings.put("endpoints", s.endpoints().get(p).stream().map(URI::toString).toList());
      pools.add(new RunInfo.Pool(spec.name(), endpoints, null, plan.gpusPerEndpoint(),
          endpoints * plan.gpusPerEndpoint(), plan.model(), settings));
      total += endpoints * plan.gpusPerEndpoint();
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("policy", s.router().policy());
    config.put("compare_mode", plan.modes().get(index));
    config.put("router_config", plan.configs().get(index).toString());
    config.put("router", "poolbench router service, in-process on " + router.url()
        + (plan.keepListen() ? " (the file's listen address)" : " (ephemeral port)"));
    config.put("short_budget_tokens", s.router().policySettings().shortBudgetTokens());
    config.put("gpus_per_endpoint", plan.gpusPerEndpoint());
    config.put("gpus_note", "a router config has no GPU count: each pool is billed endpoints x "
        + "gpus_per_endpoint (--gpus-per-endpoint) GPUs");
    config.put("scrape_metrics", "every endpoint's /metrics (preemptions, engine-metrics.csv)");
    config.put("model", plan.model());
    config.put("slo", plan.slo());
    config.put("hlog_interval_s", LiveReplay.INTERVAL.toMillis() / 1000.0);
    return new RunInfo("loadgen", version, commit, startedAt, plan.seed(),
        new RunInfo.Trace(trace.name(), result.traceDigest(), result.plannedRows()), pools,
        total, config, RunInfo.currentEnvironment());
  }
}
