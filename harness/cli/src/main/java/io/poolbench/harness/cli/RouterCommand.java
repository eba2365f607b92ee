package io.poolbench.harness.cli;

import io.poolbench.router.PoolSpec;
import io.poolbench.router.server.LoadSignalSettings;
import io.poolbench.router.server.ProxyServer;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.config.RouterConfigs;
import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code poolbench router}: run the token-budget routing proxy in front of vLLM pools. */
@Command(
    name = "router",
    sortOptions = false,
    header = "Run the token-budget routing proxy in front of vLLM pools.",
    description = {
      "Serves POST /v1/completions and /v1/chat/completions (streaming and not) and routes each "
          + "request to the pool its estimated prompt + output tokens fit, passing responses "
          + "through as they arrive; learns bytes per token from every response's usage. Also "
          + "serves GET /v1/models (the union), /health, /metrics (Prometheus) and /router/state "
          + "(JSON). Scrapes each endpoint's /metrics for engine load, retries a request that "
          + "failed before any byte reached the client on another endpoint, and speaks TLS to "
          + "https:// endpoints. Runs until SIGINT/SIGTERM (or --run-for).",
      "",
      "Configuration: see docs/router-service.md; a bad file exits with code 2 and names the "
          + "key, e.g. 'pools[1].endpoints[0]: 'x' is not a URL (http://host:port or "
          + "https://host[:port])'. 'poolbench router init --short <url> --long <url>' writes "
          + "commented one-pool and two-pool files to start from."
    },
    subcommands = RouterInitCommand.class)
final class RouterCommand implements Callable<Integer> {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  // required unless a subcommand (init) runs: picocli would demand it before 'init' otherwise
  @Option(names = "--config", paramLabel = "<router.yaml>",
      description = "The router's YAML configuration file (required).")
  Path config;

  @Option(names = "--run-for", paramLabel = "<duration>",
      description = "Stop after this long (e.g. 30s, 5m); default: until interrupted.")
  String runFor;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (config == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: "
          + "'--config=<router.yaml>' ('poolbench router init' writes one)");
    }
    ProxySettings settings = RouterConfigs.load(config);
    PrintWriter out = spec.commandLine().getOut();
    ProxyServer server;
    try {
      server = ProxyServer.start(settings);
    } catch (IllegalStateException e) {
      throw new BadInputException(e.getMessage());
    }
    out.println(String.format(Locale.US, "poolbench router: listening on %s, policy %s, "
        + "picker %s, transport %s", server.url(), settings.router().policy(), settings.picker(),
        server.transport().label()));
    for (int i = 0; i < settings.router().pools().size(); i++) {
      PoolSpec p = settings.router().pools().get(i);
      out.println(String.format(Locale.US, "pool %s max_model_len=%d capacity=%d endpoints=%s",
          p.name(), p.maxModelLen(), p.capacity(), settings.endpoints().get(i)));
    }
    LoadSignalSettings signals = settings.loadSignals();
    out.println(signals.enabled()
        ? String.format(Locale.US, "load signals: /metrics every %d ms (timeout %d ms, stale "
            + "after %d ms); retries %d", signals.intervalNanos() / 1_000_000,
            signals.timeoutNanos() / 1_000_000, signals.maxAgeNanos() / 1_000_000,
            settings.retries())
        : "load signals: off; retries " + settings.retries());
    out.flush();
    ServeUntilStopped.await("router", runFor, server::close);
    out.println("poolbench router: stopped");
    out.flush();
    return ExitCodes.OK;
  }
}
