package io.poolbench.router.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.router.Api;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.traces.BadInputException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenBudgetEstimatorTest {

  private final TokenBudgetEstimator estimator = new TokenBudgetEstimator();

  @Test
  void uncalibratedCategory_usesStaticFourBytesPerToken() {
    int prose = estimator.categoryIndex("prose");
    for (int i = 0; i < 9; i++) {
      estimator.observe(prose, 2000, 1000);
    }
    assertThat(estimator.calibrated(prose)).isFalse();
    assertThat(estimator.routingRatio(prose)).isEqualTo(4.0);
    assertThat(estimator.estimatePromptTokens(4001, prose)).isEqualTo(1001);
  }

  @Test
  void tenthSample_switchesToLearnedRatio() {
    int cjk = estimator.categoryIndex("cjk");
    for (int i = 0; i < 10; i++) {
      estimator.observe(cjk, 2000, 1000);
    }
    assertThat(estimator.calibrated(cjk)).isTrue();
    // identical samples: mean 2.0, deviation 0, so the conservative ratio is the mean
    assertThat(estimator.routingRatio(cjk)).isCloseTo(2.0, within(1e-6));
    assertThat(estimator.estimatePromptTokens(2000, cjk)).isEqualTo(1000);
  }

  @Test
  void tinyPrompts_teachNothing() {
    // 40 bytes over 20 tokens is mostly chat-template framing: skipped below 64 tokens
    int chat = estimator.categoryIndex("chat");
    estimator.observe(chat, 40, 20);
    assertThat(estimator.samples(chat)).isZero();
    estimator.observe(chat, 400, 64);
    assertThat(estimator.samples(chat)).isEqualTo(1);
    assertThatThrownBy(() -> EstimatorSettings.DEFAULTS.withMinObservedTokens(0))
        .hasMessage("estimator min-observed-tokens (0) must be >= 1");
  }

  @Test
  void warmingCategory_fallsBackToCalibratedDefaultBucket() {
    int code = estimator.categoryIndex("code");
    int fresh = estimator.categoryIndex("fresh");
    for (int i = 0; i < 10; i++) {
      estimator.observe(code, 3500, 1000);
    }
    assertThat(estimator.routingRatio(fresh)).isCloseTo(3.5, within(1e-6));
    TokenBudgetEstimator strict = new TokenBudgetEstimator(
        EstimatorSettings.DEFAULTS.withFallbackToDefaultBucket(false));
    int strictCode = strict.categoryIndex("code");
    for (int i = 0; i < 10; i++) {
      strict.observe(strictCode, 3500, 1000);
    }
    assertThat(strict.routingRatio(strict.categoryIndex("fresh"))).isEqualTo(4.0);
  }

  @Test
  void noisySamples_conservativeRatioSitsBelowMean() {
    int prose = estimator.categoryIndex("prose");
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      int tokens = 1000;
      long bytes = Math.round(tokens * (4.5 + random.nextDouble(-0.3, 0.3)));
      estimator.observe(prose, bytes, tokens);
    }
    double mean = estimator.meanRatio(prose);
    double deviation = estimator.deviation(prose);
    assertThat(deviation).isBetween(0.05, 0.3);
    assertThat(estimator.routingRatio(prose)).isCloseTo(mean - deviation, within(1e-3));
  }

  @Test
  void ratioNeverDropsBelowFloor() {
    TokenBudgetEstimator wide =
        new TokenBudgetEstimator(EstimatorSettings.DEFAULTS.withGamma(50));
    int c = wide.categoryIndex("wild");
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 100; i++) {
      wide.observe(c, 1000 + random.nextInt(4000), 1000);
    }
    assertThat(wide.routingRatio(c)).isEqualTo(1.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {4.48, 3.52, 2.01})
  void stationaryRatio_emaConverges(double trueRatio) {
    // property: with zero-mean noise the EMA mean settles near the true ratio
    SplittableRandom random = new SplittableRandom(Double.hashCode(trueRatio));
    int c = estimator.categoryIndex("k" + trueRatio);
    for (int i = 0; i < 2_000; i++) {
      int tokens = 200 + random.nextInt(4000);
      double noisy = trueRatio * (1 + random.nextDouble(-0.05, 0.05));
      estimator.observe(c, Math.round(tokens * noisy), tokens);
    }
    assertThat(estimator.meanRatio(c)).isCloseTo(trueRatio, within(trueRatio * 0.02));
    assertThat(estimator.samples(c)).isEqualTo(2_000);
  }

  @Test
  void estimate_isMonotoneInBytesAndMaxTokens() {
    // property: more bytes or a larger cap never lowers the estimate, whatever was learned
    SplittableRandom random = new SplittableRandom(11);
    RequestView view = new RequestView();
    RouteDecision a = new RouteDecision();
    RouteDecision b = new RouteDecision();
    String[] names = {"prose", "code", "cjk", null};
    for (int round = 0; round < 5_000; round++) {
      if (random.nextInt(4) == 0) {
        estimator.observe(estimator.categoryIndex(names[random.nextInt(3)]),
            1 + random.nextInt(100_000), 1 + random.nextInt(30_000));
        estimator.observeCompletion(random.nextInt(4), random.nextInt(5000));
      }
      String category = names[random.nextInt(names.length)];
      long bytes = random.nextLong(1_000_000);
      long moreBytes = bytes + random.nextLong(1_000);
      int cap = random.nextInt(3) == 0 ? RequestView.UNSET : random.nextInt(32_000);
      int moreCap = cap == RequestView.UNSET ? RequestView.UNSET : cap + random.nextInt(1_000);
      estimator.estimate(view.clear().category(category).promptBytes(bytes).maxTokens(cap), a);
      estimator.estimate(view.clear().category(category).promptBytes(moreBytes).maxTokens(moreCap),
          b);
      assertThat(b.estimatedTotalTokens()).isGreaterThanOrEqualTo(a.estimatedTotalTokens());
    }
  }

  @Test
  void outputBudget_followsConfiguredRuleWhenMaxTokensIsAbsent() {
    RequestView chat = new RequestView().promptBytes(400);
    RequestView completions = new RequestView().promptBytes(400).api(Api.COMPLETIONS);
    TokenBudgetEstimator fixed = new TokenBudgetEstimator(
        EstimatorSettings.DEFAULTS.withOutputBudget(new OutputBudget.Fixed(777)));
    TokenBudgetEstimator vllm = new TokenBudgetEstimator(
        EstimatorSettings.DEFAULTS.withOutputBudget(new OutputBudget.VllmDefault()));
    assertThat(fixed.outputBudget(chat, 0)).isEqualTo(777);
    assertThat(vllm.outputBudget(chat, 0)).isZero();
    assertThat(vllm.outputBudget(completions, 0)).isEqualTo(16);
    assertThat(vllm.outputBudget(completions.maxTokens(99), 0)).isEqualTo(99);
    // learned: fallback until 10 samples, then the p95 bucket bound
    int c = estimator.categoryIndex("chat");
    assertThat(estimator.outputBudget(chat, c)).isEqualTo(1024);
    for (int i = 1; i <= 100; i++) {
      estimator.observeCompletion(c, i * 10);
    }
    assertThat(estimator.outputBudget(chat, c)).isBetween(950L, 1070L);
  }

  @Test
  void categories_areBoundedAndOverflowSharesDefaultBucket() {
    TokenBudgetEstimator small =
        new TokenBudgetEstimator(EstimatorSettings.DEFAULTS.withMaxCategories(2));
    assertThat(small.categoryIndex("a")).isEqualTo(1);
    assertThat(small.categoryIndex("b")).isEqualTo(2);
    assertThat(small.categoryIndex("c")).isEqualTo(CategoryTable.DEFAULT_INDEX);
    assertThat(small.categoryIndex("a")).isEqualTo(1);
    assertThat(small.categories().names()).containsExactly("_default", "a", "b");
  }

  @Test
  void settings_rejectBadValuesWithOneLineMessage() {
    assertThatThrownBy(() -> EstimatorSettings.DEFAULTS.withBeta(1.0))
        .isInstanceOf(BadInputException.class)
        .hasMessage("estimator beta (1.0) must be in [0, 1), e.g. 0.95");
    assertThatThrownBy(() -> EstimatorSettings.parseOutputBudget("fixed:x"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("output budget 'fixed:x' is not one of fixed:<tokens>, "
            + "learned:<quantile>[:<fallback-tokens>], vllm");
    assertThat(EstimatorSettings.parseOutputBudget("learned:0.9:2_048"))
        .isEqualTo(new OutputBudget.Learned(0.9, 2048));
  }

  @Test
  void manyThreads_updateAndReadWithoutExceptionsOrTornValues() throws Exception {
    // writers feed ratios 2.0 and 6.0 only, so every consistent (mean, deviation) pair has the
    // mean in [2, 6] and the deviation in [0, 4]; a torn read or lost update would break that
    int c = estimator.categoryIndex("shared");
    int threads = 6;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      boolean writer = t % 2 == 0;
      int seed = t;
      workers[t] = new Thread(() -> {
        try {
          start.await();
          SplittableRandom random = new SplittableRandom(seed);
          for (int i = 0; i < 20_000; i++) {
            if (writer) {
              estimator.observe(c, random.nextBoolean() ? 2000 : 6000, 1000);
            } else {
              CategoryStats s = estimator.stats(c);
              if (s.meanBytesPerToken() < 2 - 1e-3 || s.meanBytesPerToken() > 6 + 1e-3
                  || s.deviationBytesPerToken() < 0 || s.deviationBytesPerToken() > 4 + 1e-2) {
                throw new AssertionError("inconsistent snapshot " + s);
              }
              double ratio = estimator.routingRatio(c);
              if (!(ratio >= 1.0 && ratio <= 6 + 1e-3)) {
                throw new AssertionError("ratio out of range " + ratio);
              }
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      workers[t].start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(estimator.samples(c)).isEqualTo(3 * 20_000);
    assertThat(estimator.samples(CategoryTable.DEFAULT_INDEX)).isEqualTo(3 * 20_000);
  }
}
