package io.poolbench.harness.study;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.PoolRouter;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.estimate.TokenBudgetEstimator;
import io.poolbench.router.policy.PolicySettings;
import io.poolbench.traces.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The calibration study (arXiv 2604.08075 Table 5) with real tokenization: per category, a
 * stream of prompts whose lengths are drawn around B_short, measured by a {@link PromptCorpus};
 * the true bytes per token, the EMA after n = 10, 50, 200 samples, and the misroute rate of five
 * ways to estimate: the static 4.0 rule, the per-category EMA (γ = 0), the EMA with its margin
 * (the defaults, γ = 1), and one EMA bucket over the mix (categories unknown) with and without
 * the margin.
 *
 * <p>Routing runs through {@link PoolRouter} with the {@code token-budget} policy over an 8K
 * short pool and a 64K long pool, online: each request is routed with the estimator's state at
 * that moment, then its {@code usage.prompt_tokens} is fed back. Every request declares
 * {@code max_tokens}, so only the prompt estimate can misroute it. A misroute is a request whose
 * estimated pool differs from the pool its true total (true prompt tokens + max_tokens) picks.
 */
public final class CalibrationStudy {

  /** The estimation methods compared, in report order. */
  public static final List<String> METHODS = List.of("static", "ema", "ema_margin",
      "single_bucket", "single_bucket_no_margin");

  /**
   * Study parameters.
   *
   * @param seed seed of the length draws and of the corpus
   * @param requestsPerCategory prompts per category (≥ the largest checkpoint)
   * @param shortBudgetTokens B_short
   * @param categories category names the corpus understands
   * @param checkpoints sample counts at which the estimate is reported
   * @param promptMedianTokens median of the log-normal prompt length
   * @param promptSigma σ of the log-normal prompt length (of ln tokens)
   * @param maxTokensChoices {@code max_tokens} values drawn uniformly
   */
  public record Settings(long seed, int requestsPerCategory, int shortBudgetTokens,
      List<String> categories, List<Integer> checkpoints, int promptMedianTokens,
      double promptSigma, List<Integer> maxTokensChoices) {

    /**
     * 2,000 prompts per category of prose, code and CJK; prompt tokens log-normal with median
     * 2,048 and σ 1.0, so about a tenth of the requests truly need the long pool (P1 cites 92% of
     * Azure requests within 8K).
     */
    public static Settings defaults(long seed) {
      return new Settings(seed, 2000, 8192, List.of("prose", "code", "cjk"),
          List.of(10, 50, 200), 2048, 1.0, List.of(128, 256, 512, 1024, 2048));
    }

    public Settings {
      categories = List.copyOf(categories);
      checkpoints = List.copyOf(checkpoints);
      maxTokensChoices = List.copyOf(maxTokensChoices);
      int largest = checkpoints.stream().mapToInt(Integer::intValue).max().orElse(0);
      if (requestsPerCategory < Math.max(1, largest)) {
        throw new BadInputException("requests per category (" + requestsPerCategory
            + ") must be at least the largest checkpoint (" + largest + ")");
      }
      if (categories.isEmpty()) {
        throw new BadInputException("the calibration study needs at least one category");
      }
    }

    public Settings withRequestsPerCategory(int n) {
      return new Settings(seed, n, shortBudgetTokens, categories, checkpoints,
          promptMedianTokens, promptSigma, maxTokensChoices);
    }
  }

  /**
   * One category's results.
   *
   * @param name category
   * @param requests prompts measured
   * @param trueBytesPerToken Σ bytes ÷ Σ true tokens over all its prompts
   * @param estimateAt the EMA mean after n samples, keyed by n
   * @param routingRatioAt the conservative routing ratio (mean − γ·deviation) after n samples
   * @param relativeErrorAt |estimate − true| ÷ true, keyed by n
   * @param misrouteRate misroute rate of each method on this category's requests
   * @param nearThresholdShare share of its requests whose true total lies within ±25% of B_short
   */
  public record CategoryResult(String name, int requests, double trueBytesPerToken,
      Map<Integer, Double> estimateAt, Map<Integer, Double> routingRatioAt,
      Map<Integer, Double> relativeErrorAt, Map<String, Double> misrouteRate,
      double nearThresholdShare) {}

  /**
   * The whole study.
   *
   * @param settings parameters used
   * @param corpus the corpus description
   * @param categories per-category results
   * @param misrouteRate misroute rate per method over all requests
   * @param shortOverflowRate per method, the share of requests sent short that needed long
   *     (each would be a context-length 400 and a fallback)
   * @param longTrueShare share of requests whose true total exceeds B_short
   * @param nearThresholdMisrouteRate per method, the misroute rate among requests whose true
   *     total lies within ±25% of B_short (where all misroutes happen)
   */
  public record Result(Settings settings, String corpus, List<CategoryResult> categories,
      Map<String, Double> misrouteRate, Map<String, Double> shortOverflowRate,
      double longTrueShare, Map<String, Double> nearThresholdMisrouteRate) {}

  private record Request(int category, long bytes, int tokens, int maxTokens) {
    long trueTotal() {
      return (long) tokens + maxTokens;
    }

    boolean nearThreshold(int shortBudgetTokens) {
      return Math.abs(trueTotal() - shortBudgetTokens) <= shortBudgetTokens / 4;
    }
  }

  /** Misroute counts of one method: per category, overflows, and near the threshold. */
  private static final class Tally {
    final int[] perCategory;
    long overflows;
    long near;

    Tally(int categories) {
      perCategory = new int[categories];
    }
  }

  private CalibrationStudy() {}

  /** Runs the study; deterministic for a seed and corpus. */
  public static Result run(PromptCorpus corpus, Settings settings) {
    List<String> categories = settings.categories();
    int n = settings.requestsPerCategory();
    List<List<Request>> byCategory = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      SplittableRandom random = new SplittableRandom(settings.seed() * 31 + c);
      List<Request> requests = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int target = promptTokens(random, settings);
        int maxTokens = settings.maxTokensChoices().get(
            random.nextInt(settings.maxTokensChoices().size()));
        PromptCorpus.Sample s = corpus.sample(categories.get(c), target, i);
        requests.add(new Request(c, s.bytes(), s.tokens(), maxTokens));
      }
      byCategory.add(requests);
    }
    // one interleaved stream: prose, code, cjk, prose, ...
    List<Request> stream = new ArrayList<>(n * categories.size());
    for (int i = 0; i < n; i++) {
      for (List<Request> requests : byCategory) {
        stream.add(requests.get(i));
      }
    }

    Map<String, Tally> tallies = new LinkedHashMap<>();
    for (String method : METHODS) {
      tallies.put(method, replay(method, stream, categories, settings));
    }
    long nearRequests = stream.stream()
        .filter(r -> r.nearThreshold(settings.shortBudgetTokens())).count();

    List<CategoryResult> results = new ArrayList<>();
    long longTrue = 0;
    for (int c = 0; c < categories.size(); c++) {
      List<Request> requests = byCategory.get(c);
      long bytes = 0;
      long tokens = 0;
      int near = 0;
      for (Request r : requests) {
        bytes += r.bytes();
        tokens += r.tokens();
        if (r.nearThreshold(settings.shortBudgetTokens())) {
          near++;
        }
        if (r.trueTotal() > settings.shortBudgetTokens()) {
          longTrue++;
        }
      }
      double trueRatio = (double) bytes / tokens;
      // every prompt counts as a sample here, so n is exactly the number of prompts seen
      TokenBudgetEstimator estimator =
          new TokenBudgetEstimator(EstimatorSettings.DEFAULTS.withMinObservedTokens(1));
      int index = estimator.categoryIndex(categories.get(c));
      Map<Integer, Double> estimateAt = new TreeMap<>();
      Map<Integer, Double> routingAt = new TreeMap<>();
      Map<Integer, Double> errorAt = new TreeMap<>();
      for (int i = 0; i < requests.size(); i++) {
        estimator.observe(index, requests.get(i).bytes(), requests.get(i).tokens());
        if (settings.checkpoints().contains(i + 1)) {
          double estimate = estimator.meanRatio(index);
          estimateAt.put(i + 1, estimate);
          routingAt.put(i + 1, estimator.routingRatio(index));
          errorAt.put(i + 1, Math.abs(estimate - trueRatio) / trueRatio);
        }
      }
      Map<String, Double> rates = new LinkedHashMap<>();
      for (String method : METHODS) {
        rates.put(method, (double) tallies.get(method).perCategory[c] / requests.size());
      }
      results.add(new CategoryResult(categories.get(c), requests.size(), trueRatio, estimateAt,
          routingAt, errorAt, rates, (double) near / requests.size()));
    }
    Map<String, Double> overall = new LinkedHashMap<>();
    Map<String, Double> overflowRates = new LinkedHashMap<>();
    Map<String, Double> nearRates = new LinkedHashMap<>();
    for (String method : METHODS) {
      Tally t = tallies.get(method);
      int total = 0;
      for (int m : t.perCategory) {
        total += m;
      }
      overall.put(method, (double) total / stream.size());
      overflowRates.put(method, (double) t.overflows / stream.size());
      nearRates.put(method, nearRequests == 0 ? 0.0 : (double) t.near / nearRequests);
    }
    return new Result(settings, corpus.description(), results, overall, overflowRates,
        (double) longTrue / stream.size(), nearRates);
  }

  private static int promptTokens(SplittableRandom random, Settings settings) {
    double gaussian = gaussian(random);
    double tokens = settings.promptMedianTokens() * Math.exp(settings.promptSigma() * gaussian);
    return (int) Math.max(16, Math.min(60_000, Math.round(tokens)));
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble(); // (0, 1]: log stays finite
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Replays the stream through a router configured for {@code method}. */
  private static Tally replay(String method, List<Request> stream, List<String> categories,
      Settings settings) {
    Tally tally = new Tally(categories.size());
    EstimatorSettings estimator = switch (method) {
      case "static" -> EstimatorSettings.DEFAULTS
          .withMinSamples(TokenBudgetEstimator.MAX_TRACKED_SAMPLES)
          .withFallbackToDefaultBucket(false);
      case "ema", "single_bucket_no_margin" -> EstimatorSettings.DEFAULTS.withGamma(0);
      case "ema_margin", "single_bucket" -> EstimatorSettings.DEFAULTS;
      default -> throw new IllegalArgumentException("unknown method " + method);
    };
    RouterSettings routerSettings = new RouterSettings(
        List.of(new PoolSpec("short", settings.shortBudgetTokens(), 128),
            new PoolSpec("long", 65536, 16)),
        "token-budget",
        PolicySettings.DEFAULTS.withShortBudgetTokens(settings.shortBudgetTokens())
            .withSpillover(false),
        estimator);
    PoolRouter router = PoolRouter.create(routerSettings);
    boolean oneBucket = method.startsWith("single_bucket");
    RequestView view = new RequestView();
    RouteDecision decision = new RouteDecision();
    for (Request r : stream) {
      view.clear().promptBytes(r.bytes()).maxTokens(r.maxTokens())
          .category(oneBucket ? null : categories.get(r.category()));
      router.decide(view, PoolPressure.IDLE, decision);
      boolean routedShort = decision.pool() == 0;
      boolean trulyShort = r.trueTotal() <= settings.shortBudgetTokens();
      if (routedShort != trulyShort) {
        tally.perCategory[r.category()]++;
        if (routedShort) {
          tally.overflows++;
        }
        if (r.nearThreshold(settings.shortBudgetTokens())) {
          tally.near++;
        }
      }
      router.feedback(decision, io.poolbench.router.Outcome.OK, r.tokens(), r.maxTokens(), 0);
    }
    return tally;
  }
}
