package io.poolbench.harness.compare;

import io.poolbench.loadgen.Api;
import io.poolbench.loadgen.LoadRun;
import io.poolbench.loadgen.LoadgenSettings;
import io.poolbench.loadgen.RequestFactory;
import io.poolbench.loadgen.metrics.EngineEndpoint;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.router.PoolRouter;
import io.poolbench.router.metrics.RouterSnapshot;
import io.poolbench.reports.rundir.ToolLag;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.TokenizerKind;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One live replay of a comparison mode: a discarded warm-up through the router, then the trace,
 * with every engine's {@code /metrics} read around the measured window (preemptions) and per
 * interval (engine-metrics.csv), and the in-process router's estimator sampled every interval
 * into routing.json (as a simulated run records it).
 *
 * @param routerUrl the router's base URL
 * @param router the router core behind {@code routerUrl} (in-process), whose estimator is logged
 * @param pools the router's pool names, in order (responses are attributed by its header)
 * @param gpus GPUs per pool
 * @param engines the engines behind the router, with their pools
 * @param model the {@code model} field of every request
 * @param slo the latency objective of goodput
 * @param seed seed of the synthesized prompts
 */
record LiveReplay(URI routerUrl, PoolRouter router, List<String> pools,
    Map<String, Integer> gpus, List<EngineEndpoint> engines, String model, Summary.Slo slo,
    long seed) {

  /** The latency.hlog, engine-metrics.csv and routing.json interval of a live replay. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** The warm-up workload: JIT, tokenizer tables and connections, on both sides. */
  static final String WARMUP = "azure-conv?rate=10&duration=4s&seed=99";

  /** Warms up (into {@code warmupDir}, then discarded by the reader), then replays into {@code dir}. */
  LoadRun.Result run(TraceSource trace, Path dir, Path warmupDir, PrintStream log)
      throws InterruptedException {
    PromptSynthesizer prompts = new PromptSynthesizer(TokenizerKind.CL100K_BASE, seed);
    RequestFactory requests = new RequestFactory(Api.COMPLETIONS, model, true, true,
        ContentCategory.PROSE, prompts);
    new LoadRun(settings(List.of()), BuiltinWorkloads.open(WARMUP), requests,
        RunDirectory.create(warmupDir), log).run();
    Thread.sleep(300);
    RouterSnapshot before = router.snapshot();
    // the router (and for compare the mock fleet) run in this JVM: CPU and GC are the process's
    LoadRun measured = new LoadRun(settings(engines), trace, requests, RunDirectory.create(dir),
        log).sharedWithServers(true);
    RoutingSampler sampler = RoutingSampler.start(router, INTERVAL);
    LoadRun.Result result;
    try {
      result = measured.run();
    } finally {
      sampler.stop();
    }
    sampler.write(RunDirectory.open(dir), measured.startNanos(), before, router.snapshot());
    String warning = ToolLag.warning(result.summary());
    if (warning != null) {
      log.println("poolbench: warning: live run " + dir + ": " + warning);
    }
    return result;
  }

  private LoadgenSettings settings(List<EngineEndpoint> scrape) {
    return new LoadgenSettings(List.of(routerUrl), pools, gpus, Api.COMPLETIONS, model, true,
        true, 0, Duration.ofSeconds(10), Duration.ofMinutes(10), slo, null, 2,
        INTERVAL, Duration.ofSeconds(15), 0, 1, 4096, Duration.ZERO, scrape);
  }
}
