package io.poolbench.harness.cli;

import io.poolbench.router.server.config.RouterConfigs;
import io.poolbench.traces.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code poolbench router init}: write commented one-pool and two-pool router configs for a list
 * of engine endpoints.
 */
@Command(
    name = "init",
    sortOptions = false,
    header = "Write commented router configs (one-pool.yaml, two-pools.yaml) for your endpoints.",
    description = {
      "With --short and --long (the engines of each pool): writes two-pools.yaml (the short "
          + "and the long pool, token-budget routing) and one-pool.yaml (every one of those "
          + "engines in one pool, the equal-GPU baseline), ready for 'poolbench router --config' "
          + "or 'poolbench compare --router-configs one-pool.yaml,two-pools.yaml'. With "
          + "--endpoint instead: one-pool.yaml only.",
      "",
      "Each key is explained in a comment next to it (docs/router-service.md has them all). "
          + "The files are checked with the router's own config loader before they are written; "
          + "an existing file is kept unless --force is given (exit 2)."
    })
final class RouterInitCommand implements Callable<Integer> {

  static final String ONE_POOL = "one-pool.yaml";
  static final String TWO_POOLS = "two-pools.yaml";

  @Option(names = "--endpoint", paramLabel = "<url>", split = ",",
      description = "Engine of the single pool (repeat, or comma-separate); writes one-pool.yaml "
          + "only.")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--short", paramLabel = "<url>", split = ",",
      description = "Engine of the short pool (repeat, or comma-separate); needs --long.")
  List<String> shortEndpoints = new ArrayList<>();

  @Option(names = "--long", paramLabel = "<url>", split = ",",
      description = "Engine of the long pool (repeat, or comma-separate); needs --short.")
  List<String> longEndpoints = new ArrayList<>();

  @Option(names = "--short-max-model-len", paramLabel = "<tokens>",
      description = "The short engines' vLLM --max-model-len (e.g. 8192); default: left out, "
          + "so the router reads it from the first short endpoint's /v1/models at start.")
  Integer shortMaxModelLen;

  @Option(names = "--max-model-len", paramLabel = "<tokens>",
      description = "The long engines' (and so the single pool's) --max-model-len (e.g. 65536); "
          + "default: read from /v1/models at start.")
  Integer maxModelLen;

  @Option(names = "--listen", paramLabel = "<host:port>", defaultValue = "127.0.0.1:8000",
      description = "The router's listen address written to the files (default: "
          + "${DEFAULT-VALUE}).")
  String listen;

  @Option(names = {"-o", "--out"}, paramLabel = "<dir>", defaultValue = ".",
      description = "Folder to write the files into, created if missing (default: the current "
          + "folder).")
  Path out;

  @Option(names = "--force", description = "Overwrite existing files.")
  boolean force;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    boolean twoPools = !shortEndpoints.isEmpty() || !longEndpoints.isEmpty();
    if (twoPools && !endpoints.isEmpty()) {
      throw new BadInputException("router init: give --endpoint (one pool) or --short and "
          + "--long (both files), not both");
    }
    if (!twoPools && endpoints.isEmpty()) {
      throw new BadInputException("router init: give --short <url> and --long <url> (writes "
          + ONE_POOL + " and " + TWO_POOLS + "), or --endpoint <url> (" + ONE_POOL + " only)");
    }
    if (twoPools && (shortEndpoints.isEmpty() || longEndpoints.isEmpty())) {
      throw new BadInputException("router init: " + (shortEndpoints.isEmpty() ? "--long" :
          "--short") + " needs " + (shortEndpoints.isEmpty() ? "--short" : "--long")
          + " too (a two-pool config has both pools); use --endpoint for one pool");
    }
    positive(shortMaxModelLen, "--short-max-model-len");
    positive(maxModelLen, "--max-model-len");
    if (shortMaxModelLen != null && !twoPools) {
      throw new BadInputException("router init: --short-max-model-len applies with --short "
          + "and --long");
    }
    if (shortMaxModelLen != null && maxModelLen != null && shortMaxModelLen > maxModelLen) {
      throw new BadInputException("router init: --short-max-model-len " + shortMaxModelLen
          + " must not exceed --max-model-len " + maxModelLen + " (the long pool's)");
    }
    Set<URI> seen = new HashSet<>();
    List<URI> shortUrls = urls(shortEndpoints, "--short", seen);
    List<URI> longUrls = urls(longEndpoints, "--long", seen);
    List<URI> all = twoPools ? concat(shortUrls, longUrls) : urls(endpoints, "--endpoint", seen);

    Map<Path, String> files = new LinkedHashMap<>();
    files.put(out.resolve(ONE_POOL), onePool(all, twoPools));
    if (twoPools) {
      files.put(out.resolve(TWO_POOLS), twoPools(shortUrls, longUrls));
    }
    for (Map.Entry<Path, String> f : files.entrySet()) {
      check(f.getValue(), f.getKey());
      if (Files.exists(f.getKey()) && !force) {
        throw new BadInputException("router init: " + f.getKey() + " exists; pass --force to "
            + "overwrite it (nothing was written)");
      }
    }
    PrintWriter w = spec.commandLine().getOut();
    try {
      Files.createDirectories(out);
      for (Map.Entry<Path, String> f : files.entrySet()) {
        Files.writeString(f.getKey(), f.getValue());
      }
    } catch (IOException e) {
      throw new BadInputException("router init: could not write into " + out + ": "
          + e.getMessage());
    }
    Path one = out.resolve(ONE_POOL);
    w.println("wrote " + one + " (pool 'all', " + all.size() + " endpoint(s))");
    if (twoPools) {
      Path two = out.resolve(TWO_POOLS);
      w.println("wrote " + two + " (pools 'short', " + shortUrls.size() + " endpoint(s), and "
          + "'long', " + longUrls.size() + ")");
      w.println("next: poolbench router --config " + two);
      w.println("  or: poolbench compare --router-configs " + one + "," + two
          + " --gpus-per-endpoint <GPUs per engine> --trace <trace> --duration 10m -o runs/cmp");
    } else {
      w.println("next: poolbench router --config " + one);
    }
    w.flush();
    return ExitCodes.OK;
  }

  private static void positive(Integer v, String flag) {
    if (v != null && v < 1) {
      throw new BadInputException("router init: " + flag + " " + v + " must be >= 1");
    }
  }

  private static List<URI> urls(List<String> texts, String flag, Set<URI> seen) {
    List<URI> urls = new ArrayList<>();
    for (String t : texts) {
      URI u = RouterConfigs.url(t, "router init: " + flag);
      if (!seen.add(u)) {
        throw new BadInputException("router init: " + flag + " " + u + " is given twice (each "
            + "engine belongs to one pool)");
      }
      urls.add(u);
    }
    return urls;
  }

  private static List<URI> concat(List<URI> a, List<URI> b) {
    List<URI> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Loads {@code yaml} with the router's parser and validation (a pool without max-model-len
   * gets a stand-in that keeps the pools in order, as the router would read one at start).
   */
  private void check(String yaml, Path file) {
    Integer standIn = shortMaxModelLen != null ? shortMaxModelLen
        : maxModelLen != null ? maxModelLen : 1;
    try {
      RouterConfigs.resolve(RouterConfigs.parse(yaml, file.toString()), u -> standIn);
    } catch (BadInputException e) { // e.g. a --listen that is not host:port
      throw new BadInputException("router init: " + file.getFileName() + " would not load, "
          + "nothing was written: " + e.getMessage());
    }
  }

  private String header(String what) {
    return """
        # poolbench router config: %s
        # Written by 'poolbench router init'. Run it with
        #   poolbench router --config <this file>
        # Every key is described in docs/router-service.md ("Configuration"). Keys left out
        # (or commented out) take the defaults shown in their comments. A bad value stops the
        # router with exit code 2 and names the key.

        # host:port the router listens on. 'poolbench compare --router-configs' ignores it (it
        # picks a free loopback port) unless given --router-listen.
        listen: %s
        # Event-loop threads; 0: one per core.
        io-threads: 0

        """.formatted(what, listen);
  }

  private static String lengthLine(Integer len, boolean atLeastShort, int example) {
    String comment = atLeastShort
        ? "    # The engines' max_model_len (vLLM --max-model-len), at least the short pool's:\n"
            + "    # the largest prompt + output this pool accepts. Left out, the router reads\n"
            + "    # it from the first endpoint's /v1/models at start.\n"
        : "    # The engines' max_model_len (vLLM --max-model-len): the largest prompt + output\n"
            + "    # this pool accepts. Left out, the router reads it from the first endpoint's\n"
            + "    # /v1/models at start.\n";
    return comment + (len != null ? "    max-model-len: " + len + "\n"
        : "    # max-model-len: " + example + "\n");
  }

  private static String endpointLines(List<URI> urls) {
    StringBuilder s = new StringBuilder();
    s.append("    # Engine base URLs: http://host:port or https://host[:port], no path.\n");
    s.append("    endpoints:\n");
    for (URI u : urls) {
      s.append("      - '").append(u.toString().replace("'", "''")).append("'\n");
    }
    return s.toString();
  }

  private static String capacityLines(int endpoints) {
    return "    # Requests the pool serves at once, the denominator of its pressure ((in flight\n"
        + "    # + engine queue) / capacity). Default: 256 per endpoint, vLLM's usual\n"
        + "    # max_num_seqs; set it to the sum of your engines' --max-num-seqs.\n"
        + "    # capacity: " + 256 * endpoints + "\n";
  }

  private String onePool(List<URI> all, boolean fromTwoPools) {
    StringBuilder s = new StringBuilder(header("one pool (the homogeneous baseline)."));
    s.append("""
        # The pools, smallest max-model-len first. Here one pool serves every request, so each
        # engine must accept the longest request: start them all with the same vLLM
        # --max-model-len%s.
        pools:
          - name: all
        """.formatted(fromTwoPools ? " (the long pool's, when compared with two-pools.yaml on the "
            + "same engines)" : ""));
    s.append(lengthLine(maxModelLen, false, 65536));
    s.append(capacityLines(all.size()));
    s.append(endpointLines(all));
    s.append("""

        # How each request's pool and endpoint are chosen.
        routing:
          # 'single' sends every request to the one pool (the default with one pool).
          policy: single
          # How a pool chooses among its endpoints: round-robin, least-requests (fewest in
          # flight, engine queue included), least-tokens, power-of-two, prefix-affinity
          # (docs/prefix-routing.md).
          picker: least-requests
        """);
    s.append(common());
    return s.toString();
  }

  private String twoPools(List<URI> shortUrls, List<URI> longUrls) {
    StringBuilder s = new StringBuilder(header("two pools, token-budget routing."));
    s.append("""
        # The pools, smallest max-model-len first: a request goes to the first pool its
        # estimated prompt + output tokens fit (see routing below).
        pools:
          # High-throughput pool for short requests (engines with a small --max-model-len and
          # a large --max-num-seqs).
          - name: short
        """);
    s.append(lengthLine(shortMaxModelLen, false, 8192));
    s.append(capacityLines(shortUrls.size()));
    s.append(endpointLines(shortUrls));
    s.append("""
          # High-capacity pool for the long requests.
          - name: long
        """);
    s.append(lengthLine(maxModelLen, true, 65536));
    s.append(capacityLines(longUrls.size()));
    s.append(endpointLines(longUrls));
    s.append("""

        # How each request's pool and endpoint are chosen.
        routing:
          # token-budget: estimated prompt tokens (bytes / learned bytes per token) + max_tokens
          # decide the pool. Others: single, k-pools, prompt-only, oracle, random, round-robin.
          policy: token-budget
          # B_short: requests whose estimated budget is at most this many tokens go short.
          # Default: the short pool's max-model-len.
          # short-budget-tokens: 8192
          # Send a short request to the long pool while the short pool's pressure is at or
          # above spill-pressure.
          spillover: true
          spill-pressure: 0.85
          # How a pool chooses among its endpoints: round-robin, least-requests (fewest in
          # flight, engine queue included), least-tokens, power-of-two, prefix-affinity
          # (docs/prefix-routing.md).
          picker: least-requests
          # Content category (sets the bytes-per-token estimate): header (x-poolbench-category),
          # sniff (from the prompt), header-or-sniff, none.
          categorizer: header-or-sniff
        """);
    s.append(common());
    return s.toString();
  }

  private static String common() {
    return """

        # Scrape each endpoint's /metrics (vLLM's queue and KV-cache gauges) so the pickers and
        # the spillover see engine load.
        load-signals:
          interval: 500ms   # time between scrapes of each endpoint; 0 turns scraping off
          timeout: 400ms    # per scrape, connect included
          max-age: 2s       # older signals are ignored (default: four intervals)

        # A request that failed before any byte reached the client (connect error, 5xx,
        # first-byte timeout) is sent to another endpoint this many times; 0 turns retries off.
        retries: 1

        # Failing endpoints are ejected, with a backoff; active GET /health probes re-admit them.
        health:
          probe-interval: 1s   # time between probes of each endpoint (0: no probes)
          eject-base: 1s       # first ejection's backoff, doubled on each repeat
          eject-max: 30s       # longest backoff

        # How long the router waits on an endpoint.
        timeouts:
          connect: 2s          # TCP (and TLS) set-up with an endpoint
          first-byte: 60s      # until the engine's response head (then 504, or a retry)
          idle: 30s            # longest silence within a response

        # Limits on what clients send.
        limits:
          max-body-bytes: 8m   # largest request body accepted (413 beyond); k/m suffixes

        # For https:// endpoints: trust these PEM certificates instead of the JDK's store.
        # tls:
        #   ca-file: /etc/poolbench/ca.pem
        """;
  }
}
