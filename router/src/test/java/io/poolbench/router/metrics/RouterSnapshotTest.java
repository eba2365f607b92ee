package io.poolbench.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.router.Feedback;
import io.poolbench.router.Outcome;
import io.poolbench.router.PoolLoad;
import io.poolbench.router.PoolRouter;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.router.RouterSettings;
import org.junit.jupiter.api.Test;

class RouterSnapshotTest {

  @Test
  void snapshot_namesPoolsCategoriesAndOutcomes() {
    PoolRouter router = PoolRouter.create(RouterSettings.twoPools("token-budget", 2, 2));
    PoolLoad load = new PoolLoad(router);
    load.started(0);
    load.enqueued(0);
    assertThat(load.pressure(0)).isEqualTo(1.0);
    RequestView view = new RequestView().category("code").promptBytes(400).maxTokens(10);
    RouteDecision d = router.decide(view, load, new RouteDecision());
    assertThat(d.spilled()).isTrue();
    router.feedback(d, Outcome.OK, 120, 10, 3_000);
    RouteDecision big = router.decide(new RequestView().promptBytes(10_000_000));
    assertThat(big.overLimit()).isTrue();
    router.feedback(big, Feedback.failed(Outcome.CONTEXT_LENGTH, 0).outcome(), -1, -1, 0);

    RouterSnapshot s = router.snapshot();
    assertThat(s.pools()).extracting(RouterSnapshot.PoolCounts::pool)
        .containsExactly("short", "long");
    assertThat(s.pools().get(1).spillovers()).isEqualTo(1);
    assertThat(s.pools().get(1).responses()).isEqualTo(2);
    assertThat(s.pools().get(1).latencyNanosSum()).isEqualTo(3_000);
    assertThat(s.overLimit()).isEqualTo(1);
    assertThat(s.outcomes()).containsExactlyInAnyOrder(
        new RouterSnapshot.OutcomeCount("long", "code", Outcome.OK, 1),
        new RouterSnapshot.OutcomeCount("long", "_default", Outcome.CONTEXT_LENGTH, 1));
    assertThat(s.promptErrorSum()).isEqualTo(100 - 120);
    assertThat(s.promptErrorCounts()).hasSize(s.promptErrorUpperBounds().length + 1);
    assertThat(s.categories()).extracting(c -> c.name() + ":" + c.samples())
        .containsExactly("_default:1", "code:1");
  }

  @Test
  void signedHistogram_bucketsByUpperBound() {
    SignedHistogram h = new SignedHistogram();
    h.record(0);
    h.record(-3);
    h.record(5);
    h.record(1_000_000);
    long[] bounds = SignedHistogram.upperBounds();
    long[] counts = h.bucketCounts();
    assertThat(counts[java.util.Arrays.binarySearch(bounds, 0)]).isEqualTo(1);
    assertThat(counts[java.util.Arrays.binarySearch(bounds, -2)]).isEqualTo(1); // -3 <= -2
    assertThat(counts[java.util.Arrays.binarySearch(bounds, 8)]).isEqualTo(1);
    assertThat(counts[counts.length - 1]).isEqualTo(1);
    assertThat(h.count()).isEqualTo(4);
  }
}
