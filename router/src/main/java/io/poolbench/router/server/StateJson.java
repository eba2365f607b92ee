package io.poolbench.router.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.poolbench.router.estimate.CategoryStats;
import io.poolbench.router.metrics.RouterSnapshot;
import io.poolbench.router.pick.LoadSignal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders {@code GET /router/state}: the policy, the estimator per category, and each pool's load,
 * counters and endpoints with their load, engine load signal, scrape outcomes and health.
 */
final class StateJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private StateJson() {}

  static byte[] render(ProxyServer server) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    long now = System.nanoTime();
    RouterSnapshot snap = server.router().snapshot();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("policy", server.router().policy().name());
      g.writeStringField("picker", server.settings().picker());
      g.writeNumberField("retries", server.settings().retries());
      LoadSignalSettings signals = server.settings().loadSignals();
      g.writeObjectFieldStart("load_signals");
      g.writeBooleanField("enabled", signals.enabled());
      g.writeNumberField("interval_ms", signals.intervalNanos() / 1_000_000);
      g.writeNumberField("timeout_ms", signals.timeoutNanos() / 1_000_000);
      g.writeNumberField("max_age_ms", signals.maxAgeNanos() / 1_000_000);
      g.writeEndObject();
      g.writeArrayFieldStart("categories");
      for (CategoryStats c : snap.categories()) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeNumberField("mean_bytes_per_token", c.meanBytesPerToken());
        g.writeNumberField("deviation_bytes_per_token", c.deviationBytesPerToken());
        g.writeNumberField("routing_bytes_per_token", c.routingBytesPerToken());
        g.writeNumberField("samples", c.samples());
        g.writeBooleanField("calibrated", c.calibrated());
        g.writeNumberField("output_quantile_tokens", c.outputQuantileTokens());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("pools");
      UpstreamPool[] pools = server.pools();
      for (UpstreamPool p : pools) {
        RouterSnapshot.PoolCounts c = snap.pools().get(p.index);
        g.writeStartObject();
        g.writeStringField("name", p.name());
        g.writeNumberField("max_model_len", p.spec.maxModelLen());
        g.writeNumberField("capacity", p.spec.capacity());
        g.writeNumberField("in_flight", server.load().inFlight(p.index));
        g.writeNumberField("queued", server.load().queued(p.index));
        g.writeNumberField("engine_waiting", server.load().engineWaiting(p.index));
        g.writeNumberField("pressure", server.load().pressure(p.index));
        g.writeNumberField("decisions", c.decisions());
        g.writeNumberField("spillovers", c.spillovers());
        g.writeNumberField("misroutes", c.misroutes());
        g.writeNumberField("fallbacks", server.metrics().fallbacks(p.index));
        g.writeArrayFieldStart("endpoints");
        for (int e = 0; e < p.health.length; e++) {
          EndpointHealth h = p.health[e];
          g.writeStartObject();
          g.writeStringField("url", p.urls.get(e).toString());
          g.writeBooleanField("available", h.available(now));
          g.writeBooleanField("ejected", h.ejected());
          g.writeNumberField("backoff_left_ms", h.backoffLeftNanos(now) / 1_000_000);
          g.writeNumberField("ejections", h.ejections());
          g.writeStringField("last_failure", h.lastFailure());
          g.writeNumberField("outstanding_requests", p.endpoints.outstandingRequests(e));
          g.writeNumberField("outstanding_tokens", p.endpoints.outstandingTokens(e));
          LoadSignal sig = p.endpoints.signal(e);
          if (sig == null) {
            g.writeNullField("signal");
          } else {
            g.writeObjectFieldStart("signal");
            g.writeNumberField("running", sig.running());
            g.writeNumberField("waiting", sig.waiting());
            g.writeNumberField("kv_usage", sig.kvUsage());
            g.writeNumberField("age_ms", sig.ageNanos(now) / 1_000_000);
            g.writeBooleanField("fresh", sig.ageNanos(now) <= signals.maxAgeNanos());
            g.writeEndObject();
          }
          ScrapeStats sc = p.scrapes[e];
          g.writeNumberField("scrapes_ok", sc.successes());
          g.writeNumberField("scrapes_failed", sc.failures());
          g.writeStringField("last_scrape_failure", sc.lastFailure());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
