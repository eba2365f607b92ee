package io.poolbench.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.router.estimate.CategoryTable;
import io.poolbench.traces.TraceRequest;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class PoolRouterTest {

  private final PoolRouter router = PoolRouter.create(RouterSettings.twoPools("token-budget",
      128, 16));

  @Test
  void decide_estimatesWithStaticRatioThenLearnsFromFeedback() {
    RequestView view = new RequestView().category("cjk").promptBytes(30_000).maxTokens(256);
    RouteDecision d = router.decide(view);
    // 30,000 bytes / 4.0 = 7,500 tokens + 256 = 7,756 <= 8,192: short
    assertThat(d.estimatedPromptTokens()).isEqualTo(7_500);
    assertThat(d.estimatedTotalTokens()).isEqualTo(7_756);
    assertThat(d.pool()).isZero();
    assertThat(d.fallbackPool()).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      router.feedback(view, d, Feedback.ok(15_000, 10, 1_000));
    }
    // CJK really is 2 bytes/token: now 15,000 + 256 tokens, long pool
    RouteDecision again = router.decide(view);
    assertThat(again.estimatedPromptTokens()).isEqualTo(15_000);
    assertThat(again.pool()).isEqualTo(1);
    assertThat(again.hasFallback()).isFalse();
    assertThat(router.metrics().decisions(0)).isEqualTo(1);
    assertThat(router.metrics().decisions(1)).isEqualTo(1);
    assertThat(router.metrics().outcomes(0, view.categoryIndex(), Outcome.OK)).isEqualTo(10);
    assertThat(router.metrics().promptError().count()).isEqualTo(10);
    assertThat(router.metrics().promptError().sum()).isEqualTo(10 * (7_500 - 15_000));
  }

  @Test
  void fallback_movesToNextLargerPoolOnceAndCountsMisroute() {
    RouteDecision d = router.decide(new RequestView().promptBytes(20_000).maxTokens(100));
    assertThat(d.pool()).isZero();
    assertThat(router.fallback(d)).isTrue();
    assertThat(d.pool()).isEqualTo(1);
    assertThat(d.retries()).isEqualTo(1);
    assertThat(d.hasFallback()).isFalse();
    assertThat(router.fallback(d)).isFalse();
    assertThat(router.metrics().misroutes(0)).isEqualTo(1);
    assertThat(router.metrics().misroutes(1)).isEqualTo(1);
  }

  @Test
  void feedback_tokenIdPromptsAndFailures_doNotTeachTheRatio() {
    RequestView ids = new RequestView().exactPromptTokens(700).maxTokens(10);
    RouteDecision d = router.decide(ids);
    assertThat(d.estimatedPromptTokens()).isEqualTo(700);
    router.feedback(ids, d, Feedback.ok(700, 10, 5));
    RequestView text = new RequestView().promptBytes(4000);
    RouteDecision t = router.decide(text);
    router.feedback(text, t, Feedback.failed(Outcome.CONTEXT_LENGTH, 5));
    assertThat(router.estimator().samples(CategoryTable.DEFAULT_INDEX)).isZero();
    assertThat(router.metrics().outcomes(0, 0, Outcome.CONTEXT_LENGTH)).isEqualTo(1);
  }

  @Test
  void fromTrace_oracleRoutesOnTrueTotalAndFeedbackNeedsOnlyTheDecision() {
    PoolRouter oracle = PoolRouter.create(RouterSettings.twoPools("oracle", 128, 16));
    TraceRequest trace = TraceRequest.of(0, 1_000, 9_000).withCategory("code");
    RequestView view = new RequestView().fromTrace(trace, 3_520);
    RouteDecision d = oracle.decide(view);
    assertThat(view.oracleTotalTokens()).isEqualTo(10_000);
    assertThat(view.hasMaxTokens()).isFalse();
    assertThat(d.pool()).isEqualTo(1);
    oracle.feedback(d, Outcome.OK, 1_000, 9_000, 0);
    int code = oracle.estimator().categories().find("code");
    assertThat(oracle.estimator().samples(code)).isEqualTo(1);
    assertThat(oracle.estimator().meanRatio(code)).isCloseTo(3.52, within(1e-6));
  }

  @Test
  void decide_withReusedObjects_allocatesNothing() {
    // the simulator's contract: a steady-state decision allocates no memory
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    RequestView view = new RequestView();
    RouteDecision out = new RouteDecision();
    int prose = router.estimator().categoryIndex("prose");
    PoolPressure pressure = pool -> 0.5;
    long sink = 0;
    for (int i = 0; i < 20_000; i++) { // warm up past interpretation and class init
      view.clear().categoryIndex(prose).promptBytes(i * 7L).maxTokens(i % 2000);
      sink += router.decide(view, pressure, out).pool();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      view.clear().category("prose").promptBytes(i * 7L).maxTokens(i % 2000);
      sink += router.decide(view, pressure, out).pool();
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(sink).isPositive();
    // a single allocation per decision would be >= 1.6 MB here
    assertThat(allocated).isLessThan(64 * 1024);
  }
}
