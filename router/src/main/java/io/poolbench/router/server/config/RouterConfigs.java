package io.poolbench.router.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.estimate.OutputBudget;
import io.poolbench.router.inspect.Categorizer;
import io.poolbench.router.pick.PickerKind;
import io.poolbench.router.pick.PickerSettings;
import io.poolbench.router.policy.PolicyKind;
import io.poolbench.router.policy.PolicySettings;
import io.poolbench.router.server.LoadSignalSettings;
import io.poolbench.router.server.ProxySettings;
import io.poolbench.router.server.TlsSettings;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.ConfigPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads router files with a strict YAML mapper (unknown, duplicate or ill-typed keys fail) and
 * validates them into {@link ProxySettings}; every error is a {@link BadInputException} naming
 * the key path, e.g. {@code pools[1].endpoints[0]: 'x' is not a URL (http://host:port)}.
 */
public final class RouterConfigs {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmM]?)");

  private RouterConfigs() {}

  /** Reads and validates {@code file}; max-model-len may be read from the endpoints. */
  public static ProxySettings load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException("Could not find file: " + file);
    } catch (IOException e) {
      throw new BadInputException("Could not read router file " + file + ": " + e.getMessage());
    }
    RouterConfigFile c = parse(text, file.toString());
    TlsSettings tls = tls(c.tls());
    return resolve(c, u -> fetchMaxModelLen(u, tls));
  }

  /** Parses YAML text; {@code origin} names it in syntax errors. */
  public static RouterConfigFile parse(String yaml, String origin) {
    try {
      RouterConfigFile c = YAML.readValue(yaml, RouterConfigFile.class);
      if (c == null) {
        throw new BadInputException(origin + ": empty router file");
      }
      return c;
    } catch (UnrecognizedPropertyException e) {
      throw new BadInputException(ConfigPaths.of(e) + ": unknown key; expected one of "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
              .collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      throw new BadInputException(ConfigPaths.of(e) + ": bad value: "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (JsonProcessingException e) {
      throw new BadInputException(origin + ": " + e.getOriginalMessage().lines().findFirst()
          .orElse("invalid YAML") + " (line " + e.getLocation().getLineNr() + ")");
    }
  }

  /**
   * Validates {@code c}; {@code maxModelLen} answers a pool's limit from its first endpoint when
   * the file gives none.
   */
  public static ProxySettings resolve(RouterConfigFile c, Function<URI, Integer> maxModelLen) {
    String host = "127.0.0.1";
    int port = 8000;
    if (c.listen() != null) {
      int colon = c.listen().lastIndexOf(':');
      if (colon <= 0) {
        throw new BadInputException("listen: '" + c.listen() + "' is not host:port");
      }
      host = c.listen().substring(0, colon);
      port = intIn(c.listen().substring(colon + 1), 0, 65535, "listen");
    }
    if (c.pools() == null || c.pools().isEmpty()) {
      throw new BadInputException("pools: must list at least one pool");
    }
    List<PoolSpec> specs = new ArrayList<>();
    List<List<URI>> endpoints = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int previousLen = 0;
    for (int i = 0; i < c.pools().size(); i++) {
      RouterConfigFile.Pool p = c.pools().get(i);
      String where = "pools[" + i + "]";
      if (p == null) {
        throw new BadInputException(where + ": empty pool");
      }
      if (p.name() == null || p.name().isBlank()) {
        throw new BadInputException(where + ".name: missing");
      }
      if (!names.add(p.name())) {
        throw new BadInputException(where + ".name: '" + p.name() + "' is used twice");
      }
      if (p.endpoints() == null || p.endpoints().isEmpty()) {
        throw new BadInputException(where + ".endpoints: must list at least one URL");
      }
      List<URI> urls = new ArrayList<>();
      for (int e = 0; e < p.endpoints().size(); e++) {
        urls.add(url(p.endpoints().get(e), where + ".endpoints[" + e + "]"));
      }
      int len;
      if (p.maxModelLen() != null) {
        len = positive(p.maxModelLen(), where + ".max-model-len");
      } else {
        Integer fetched = maxModelLen.apply(urls.get(0));
        if (fetched == null) {
          throw new BadInputException(where + ".max-model-len: missing, and " + urls.get(0)
              + "/v1/models did not tell it");
        }
        len = fetched;
      }
      if (len < previousLen) {
        throw new BadInputException(where + ".max-model-len (" + len
            + ") must not be smaller than the previous pool's (" + previousLen + ")");
      }
      previousLen = len;
      int capacity = p.capacity() != null ? positive(p.capacity(), where + ".capacity")
          : 256 * urls.size();
      specs.add(new PoolSpec(p.name(), len, capacity));
      endpoints.add(urls);
    }
    RouterConfigFile.Routing r = c.routing() != null ? c.routing()
        : new RouterConfigFile.Routing(null, null, null, null, null, null, null, null, null);
    String policy = wrap("routing.policy", () -> PolicyKind.named(r.policy() != null
        ? r.policy() : specs.size() == 1 ? "single" : "token-budget").policyName());
    int bShort = r.shortBudgetTokens() != null
        ? positive(r.shortBudgetTokens(), "routing.short-budget-tokens")
        : specs.get(0).maxModelLen();
    int[] k = r.kThresholds() == null ? new int[0]
        : r.kThresholds().stream().mapToInt(Integer::intValue).toArray();
    double spill = r.spillPressure() != null ? r.spillPressure() : 0.85;
    if (!(spill > 0)) {
      throw new BadInputException("routing.spill-pressure: " + spill + " must be > 0");
    }
    long seed = r.seed() != null ? r.seed() : 1L;
    PolicySettings policySettings = wrap("routing", () -> new PolicySettings(bShort, k,
        r.spillover() == null || r.spillover(), spill, seed));
    String picker = wrap("routing.picker", () -> PickerKind.named(
        r.picker() != null ? r.picker() : "least-requests").pickerName());
    Categorizer.Mode mode = wrap("routing.categorizer", () -> Categorizer.Mode.named(
        r.categorizer() != null ? r.categorizer() : "header-or-sniff"));
    String header = r.categoryHeader() != null ? r.categoryHeader()
        : Categorizer.DEFAULT_HEADER;
    EstimatorSettings estimator = wrap("estimator", () -> estimator(c.estimator()));
    RouterSettings router = wrap("routing", () -> new RouterSettings(specs, policy,
        policySettings, estimator));
    RouterConfigFile.Timeouts t = c.timeouts() != null ? c.timeouts()
        : new RouterConfigFile.Timeouts(null, null, null);
    long connect = duration(t.connect(), 2_000_000_000L, "timeouts.connect");
    if (connect <= 0 || connect > Integer.MAX_VALUE * 1_000_000L) {
      throw new BadInputException("timeouts.connect: must be > 0");
    }
    long firstByte = duration(t.firstByte(), 60_000_000_000L, "timeouts.first-byte");
    long idle = duration(t.idle(), 30_000_000_000L, "timeouts.idle");
    int maxBody = c.limits() == null || c.limits().maxBodyBytes() == null ? 8 << 20
        : size(c.limits().maxBodyBytes(), "limits.max-body-bytes");
    RouterConfigFile.Health h = c.health() != null ? c.health()
        : new RouterConfigFile.Health(null, null, null);
    long probe = duration(h.probeInterval(), 1_000_000_000L, "health.probe-interval");
    long base = duration(h.ejectBase(), 1_000_000_000L, "health.eject-base");
    long max = duration(h.ejectMax(), 30_000_000_000L, "health.eject-max");
    if (base <= 0 || max < base) {
      throw new BadInputException("health: eject-base must be > 0 and <= eject-max");
    }
    int threads = c.ioThreads() != null ? c.ioThreads() : 0;
    if (threads < 0) {
      throw new BadInputException("io-threads: " + threads + " must be >= 0");
    }
    int retries = c.retries() != null ? c.retries() : 1;
    if (retries < 0) {
      throw new BadInputException("retries: " + retries + " must be >= 0 (0 turns retries off)");
    }
    return new ProxySettings(host, port, router, endpoints, picker,
        PickerSettings.DEFAULTS.withSeed(seed), mode, header, (int) (connect / 1_000_000),
        firstByte, idle, maxBody, c.endpointHeader() == null || c.endpointHeader(),
        c.stateKey(), threads, probe, base, max, loadSignals(c.loadSignals()), retries,
        tls(c.tls()));
  }

  private static LoadSignalSettings loadSignals(RouterConfigFile.LoadSignals l) {
    LoadSignalSettings d = LoadSignalSettings.DEFAULTS;
    if (l == null) {
      return d;
    }
    long interval = duration(l.interval(), d.intervalNanos(), "load-signals.interval");
    long timeout = duration(l.timeout(), d.timeoutNanos(), "load-signals.timeout");
    if (timeout <= 0) {
      throw new BadInputException("load-signals.timeout: '" + l.timeout() + "' must be > 0");
    }
    long maxAge = duration(l.maxAge(), interval > 0 ? 4 * interval : d.maxAgeNanos(),
        "load-signals.max-age");
    if (maxAge <= 0 || maxAge < interval) {
      throw new BadInputException("load-signals.max-age: " + maxAge / 1_000_000
          + " ms must be > 0 and at least the interval (" + interval / 1_000_000 + " ms)");
    }
    return new LoadSignalSettings(interval, timeout, maxAge);
  }

  /** Validates the {@code tls} section; a CA file must hold at least one PEM certificate. */
  static TlsSettings tls(RouterConfigFile.Tls t) {
    if (t == null) {
      return TlsSettings.DEFAULTS;
    }
    boolean insecure = t.insecureSkipVerify() != null && t.insecureSkipVerify();
    Path ca = null;
    if (t.caFile() != null) {
      if (insecure) {
        throw new BadInputException("tls.insecure-skip-verify: true excludes tls.ca-file; "
            + "remove one of them");
      }
      if (t.caFile().isBlank()) {
        throw new BadInputException("tls.ca-file: empty; expected a PEM file path");
      }
      ca = Path.of(t.caFile());
      Path file = ca;
      wrap("tls.ca-file", () -> TlsSettings.certificates(file));
    }
    return new TlsSettings(ca, insecure);
  }

  private static EstimatorSettings estimator(RouterConfigFile.Estimator e) {
    EstimatorSettings d = EstimatorSettings.DEFAULTS;
    if (e == null) {
      return d;
    }
    OutputBudget budget = e.outputBudget() != null
        ? EstimatorSettings.parseOutputBudget(e.outputBudget()) : d.outputBudget();
    return new EstimatorSettings(
        or(e.defaultBytesPerToken(), d.defaultBytesPerToken()), or(e.beta(), d.beta()),
        or(e.gamma(), d.gamma()), or(e.floorBytesPerToken(), d.floorBytesPerToken()),
        or(e.minSamples(), d.minSamples()), or(e.maxCategories(), d.maxCategories()),
        or(e.fallbackToDefaultBucket(), d.fallbackToDefaultBucket()), budget,
        or(e.minObservedTokens(), d.minObservedTokens()));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static <T> T wrap(String where, java.util.function.Supplier<T> s) {
    try {
      return s.get();
    } catch (BadInputException e) {
      throw new BadInputException(where + ": " + e.getMessage());
    }
  }

  /**
   * An endpoint base URL as the file accepts it ({@code http://host:port} or
   * {@code https://host[:port]}, no path or query), normalized; else a {@link BadInputException}
   * naming {@code where}. Public for tools that write router files ({@code poolbench router init}).
   */
  public static URI url(String text, String where) {
    try {
      URI u = text == null ? null : new URI(text.strip());
      String scheme = u == null || u.getScheme() == null ? ""
          : u.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null
          && (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))
          && u.getQuery() == null) {
        return new URI(scheme, null, u.getHost(), u.getPort(), null, null, null);
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new BadInputException(where + ": '" + text
        + "' is not a URL (http://host:port or https://host[:port])");
  }

  private static int positive(int v, String where) {
    if (v <= 0) {
      throw new BadInputException(where + ": " + v + " must be > 0");
    }
    return v;
  }

  private static int intIn(String text, int min, int max, String where) {
    try {
      int v = Integer.parseInt(text);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException(where + ": '" + text + "' is not a port (" + min + "-" + max
        + ")");
  }

  /** Parses {@code 500ms}, {@code 2s}, {@code 1.5m} or {@code 0} into nanoseconds. */
  static long duration(String text, long fallback, String where) {
    if (text == null) {
      return fallback;
    }
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new BadInputException(where + ": '" + text + "' is not a duration (e.g. 500ms, 2s, "
          + "1m)");
    }
    double v = Double.parseDouble(m.group(1));
    double unit = switch (m.group(2)) {
      case "ms" -> 1e6;
      case "s" -> 1e9;
      default -> 60e9;
    };
    return (long) (v * unit);
  }

  static int size(String text, String where) {
    Matcher m = SIZE.matcher(text.strip());
    if (m.matches()) {
      long v = Long.parseLong(m.group(1));
      long mult = switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "k" -> 1024;
        case "m" -> 1024 * 1024;
        default -> 1;
      };
      long bytes = v * mult;
      if (bytes > 0 && bytes <= Integer.MAX_VALUE - 1024) {
        return (int) bytes;
      }
    }
    throw new BadInputException(where + ": '" + text + "' is not a byte size (e.g. 8m, 512k)");
  }

  /** Reads {@code max_model_len} of the first model card at {@code base}/v1/models, or null. */
  static Integer fetchMaxModelLen(URI base, TlsSettings tls) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if ("https".equals(base.getScheme())) {
      b.sslContext(tls.sslContext());
    }
    try (HttpClient http = b.build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/models"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      JsonNode len = new ObjectMapper().readTree(r.body()).path("data").path(0)
          .path("max_model_len");
      return len.isInt() ? len.asInt() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
