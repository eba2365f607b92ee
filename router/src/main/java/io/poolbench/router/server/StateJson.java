package io.poolbench.router.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.poolbench.router.estimate.CategoryStats;
import io.poolbench.router.metrics.RouterSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders {@code GET /router/state}: the policy, the estimator per category, and each pool's load,
 * counters and endpoints with their load and health.
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
