package io.poolbench.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.router.inspect.Categorizer;
import io.poolbench.router.inspect.RequestBodyInspector;
import io.poolbench.router.inspect.TextSample;
import io.poolbench.router.pick.EndpointPicker;
import io.poolbench.router.pick.Endpoints;
import io.poolbench.router.pick.PickerKind;
import io.poolbench.router.pick.PickerSettings;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The path a router service takes per request, composed from the library's parts. */
class ServicePathTest {

  private final PoolRouter router = PoolRouter.create(RouterSettings.twoPools("token-budget",
      128, 16));
  private final PoolLoad load = new PoolLoad(router);
  private final Endpoints[] pools = {Endpoints.anonymous(4), Endpoints.anonymous(2)};
  private final EndpointPicker picker = PickerKind.LEAST_TOKENS.create(PickerSettings.DEFAULTS);
  private final RequestBodyInspector inspector = new RequestBodyInspector();
  private final Categorizer categorizer = new Categorizer();

  private RouteDecision route(String body, String categoryHeader, RequestView view) {
    TextSample sample = new TextSample();
    inspector.inspect(body.getBytes(StandardCharsets.UTF_8), view.clear(), sample);
    view.category(categorizer.categorize(categoryHeader, sample));
    return router.decide(view, load, new RouteDecision());
  }

  @Test
  void cjkChat_learnsItsRatioAndMovesToTheLongPool() {
    String cjk = "数据模型路由".repeat(1_000); // 6,000 chars, 18,000 UTF-8 bytes
    String body = "{\"model\":\"m\",\"stream\":true,\"max_tokens\":2000,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + cjk + "\"}]}";
    RequestView view = new RequestView();
    RouteDecision first = route(body, null, view);
    assertThat(view.category()).isEqualTo(Categorizer.CJK);
    assertThat(view.promptBytes()).isEqualTo(18_000);
    // static 4.0: 4,500 + 2,000 = 6,500 tokens, short pool
    assertThat(first.pool()).isZero();
    int endpoint = picker.pick(pools[first.pool()], first.estimatedTotalTokens(), 0);
    pools[first.pool()].acquire(endpoint, first.estimatedTotalTokens());
    load.started(first.pool());
    // the engine reports 9,000 prompt tokens (2 bytes/token): a context-length 400 in reality,
    // so the caller falls back, then learns from the long pool's usage
    assertThat(router.fallback(first)).isTrue();
    pools[0].release(endpoint, first.estimatedTotalTokens());
    load.finished(0);
    for (int i = 0; i < 10; i++) {
      router.feedback(first, Outcome.OK, 9_000, 2_000, 1_000_000);
    }
    RouteDecision next = route(body, null, view);
    assertThat(next.estimatedPromptTokens()).isEqualTo(9_000);
    assertThat(next.pool()).isEqualTo(1);
    assertThat(router.metrics().misroutes(0)).isEqualTo(1);
    assertThat(pools[0].outstandingTokens(endpoint)).isZero();
  }

  @Test
  void headerCategory_winsOverSniff() {
    RequestView view = new RequestView();
    route("{\"prompt\":\"plain english words here\",\"max_tokens\":5}", "Legal", view);
    assertThat(view.category()).isEqualTo("legal");
    assertThat(view.api()).isEqualTo(Api.COMPLETIONS);
  }
}
