package io.poolbench.router.server;

import io.poolbench.router.estimate.CategoryStats;
import io.poolbench.router.metrics.RouterSnapshot;
import io.poolbench.router.pick.LoadSignal;
import io.poolbench.router.pick.PrefixAffinityPicker;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders the router's metrics in the Prometheus text format (version 0.0.4): the router core's
 * {@link RouterSnapshot} (requests by pool, category and outcome; decisions, spillovers,
 * misroutes; the prompt-estimate error; each category's bytes-per-token ratio) and the service's
 * own (decision time, upstream latency and first byte, pool load, endpoint health, engine load
 * signals and their scrapes, rejections, upstream failures, retries). Every name starts with
 * {@code poolbench_router_}.
 */
final class PrometheusText {

  private static final String P = "poolbench_router_";

  private final StringBuilder sb = new StringBuilder(8192);

  private PrometheusText() {}

  static String render(ProxyServer server) {
    PrometheusText t = new PrometheusText();
    t.write(server);
    return t.sb.toString();
  }

  private void write(ProxyServer server) {
    RouterSnapshot snap = server.router().snapshot();
    UpstreamPool[] pools = server.pools();
    ProxyMetrics m = server.metrics();

    help("requests_total", "counter", "Finished routed requests by pool, category and outcome.");
    for (RouterSnapshot.OutcomeCount o : snap.outcomes()) {
      sample("requests_total", o.count(), "pool", o.pool(), "category", o.category(), "outcome",
          o.outcome().name().toLowerCase(Locale.ROOT));
    }
    help("decisions_total", "counter", "Routing decisions by chosen pool.");
    for (RouterSnapshot.PoolCounts c : snap.pools()) {
      sample("decisions_total", c.decisions(), "pool", c.pool());
    }
    help("spillovers_total", "counter", "Decisions moved to a larger pool by pressure.");
    for (RouterSnapshot.PoolCounts c : snap.pools()) {
      sample("spillovers_total", c.spillovers(), "pool", c.pool());
    }
    help("misroutes_total", "counter",
        "Context-length rejections from a pool (each one retried in the next larger pool).");
    for (RouterSnapshot.PoolCounts c : snap.pools()) {
      sample("misroutes_total", c.misroutes(), "pool", c.pool());
    }
    help("fallbacks_total", "counter", "Context-length retries that left the pool.");
    for (UpstreamPool p : pools) {
      sample("fallbacks_total", m.fallbacks(p.index), "pool", p.name());
    }
    help("over_limit_total", "counter", "Decisions where no pool was large enough.");
    sample("over_limit_total", snap.overLimit());

    help("prompt_estimate_error_tokens", "histogram",
        "Estimated minus actual prompt tokens (usage.prompt_tokens).");
    long cumulative = 0;
    long[] bounds = snap.promptErrorUpperBounds();
    long[] counts = snap.promptErrorCounts();
    for (int i = 0; i < bounds.length; i++) {
      cumulative += counts[i];
      sample("prompt_estimate_error_tokens_bucket", cumulative, "le", Long.toString(bounds[i]));
    }
    cumulative += counts[counts.length - 1];
    sample("prompt_estimate_error_tokens_bucket", cumulative, "le", "+Inf");
    sample("prompt_estimate_error_tokens_sum", snap.promptErrorSum());
    sample("prompt_estimate_error_tokens_count", cumulative);

    help("category_bytes_per_token", "gauge",
        "Estimator ratio per category: learned mean and the (conservative) routing ratio.");
    for (CategoryStats c : snap.categories()) {
      sample("category_bytes_per_token", c.meanBytesPerToken(), "category", c.name(), "kind",
          "mean");
      sample("category_bytes_per_token", c.routingBytesPerToken(), "category", c.name(), "kind",
          "routing");
    }
    help("category_samples", "gauge", "Usage observations per category.");
    for (CategoryStats c : snap.categories()) {
      sample("category_samples", c.samples(), "category", c.name());
    }

    histogram("decision_seconds", "Time to inspect-free routing decision (estimate + policy).",
        m.decision, null);
    help("upstream_latency_seconds", "histogram",
        "Upstream request time from send to last byte, by pool.");
    for (UpstreamPool p : pools) {
      histogramSamples("upstream_latency_seconds", m.latency[p.index], p.name());
    }
    help("upstream_first_byte_seconds", "histogram",
        "Upstream time from send to response head, by pool.");
    for (UpstreamPool p : pools) {
      histogramSamples("upstream_first_byte_seconds", m.firstByte[p.index], p.name());
    }

    help("pool_in_flight", "gauge", "Requests in flight per pool.");
    for (UpstreamPool p : pools) {
      sample("pool_in_flight", server.load().inFlight(p.index), "pool", p.name());
    }
    help("pool_pressure", "gauge", "(in flight + queued) / capacity per pool.");
    for (UpstreamPool p : pools) {
      sample("pool_pressure", server.load().pressure(p.index), "pool", p.name());
    }
    long now = System.nanoTime();
    help("endpoint_up", "gauge", "1 when the endpoint takes requests, 0 while ejected.");
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.health.length; e++) {
        sample("endpoint_up", p.health[e].available(now) ? 1 : 0, "pool", p.name(), "endpoint",
            p.authorities[e]);
      }
    }
    help("endpoint_ejections_total", "counter", "Times the endpoint was ejected.");
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.health.length; e++) {
        sample("endpoint_ejections_total", p.health[e].ejections(), "pool", p.name(),
            "endpoint", p.authorities[e]);
      }
    }
    help("endpoint_outstanding_requests", "gauge", "Requests the router has at the endpoint.");
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.health.length; e++) {
        sample("endpoint_outstanding_requests", p.endpoints.outstandingRequests(e), "pool",
            p.name(), "endpoint", p.authorities[e]);
      }
    }
    engineSignals(pools, now, server.settings().loadSignals().maxAgeNanos());
    help("pool_engine_waiting", "gauge",
        "Requests the pool's engines report waiting (fresh signals only; part of queued).");
    for (UpstreamPool p : pools) {
      sample("pool_engine_waiting", server.load().engineWaiting(p.index), "pool", p.name());
    }
    if (pools.length > 0 && pools[0].picker instanceof PrefixAffinityPicker) {
      help("pool_prefix_affinity_picks_total", "counter", "Prefix-affinity picks by result: hit "
          + "(followed a known prefix), over_load (known prefix, endpoints over the load bound), "
          + "miss (no known prefix).");
      for (UpstreamPool p : pools) {
        if (p.picker instanceof PrefixAffinityPicker a) {
          sample("pool_prefix_affinity_picks_total", a.hits(), "pool", p.name(), "result", "hit");
          sample("pool_prefix_affinity_picks_total", a.overLoad(), "pool", p.name(), "result",
              "over_load");
          sample("pool_prefix_affinity_picks_total", a.misses(), "pool", p.name(), "result",
              "miss");
        }
      }
    }
    help("retries_total", "counter",
        "Requests sent again to another endpoint before any byte reached the client, by reason.");
    for (ProxyMetrics.Retry r : ProxyMetrics.Retry.values()) {
      sample("retries_total", m.retries(r), "reason", r.label);
    }
    help("rejected_total", "counter", "Requests the router answered itself, by reason.");
    for (ProxyMetrics.Rejection r : ProxyMetrics.Rejection.values()) {
      sample("rejected_total", m.rejections(r), "reason", r.label);
    }
    help("upstream_failures_total", "counter", "Upstream failures by kind.");
    for (ProxyMetrics.Failure f : ProxyMetrics.Failure.values()) {
      sample("upstream_failures_total", m.failures(f), "kind", f.label);
    }
  }

  /** The latest engine signal of every endpoint that has one, and the scrape counts. */
  private void engineSignals(UpstreamPool[] pools, long now, long maxAgeNanos) {
    signalFamily(pools, "endpoint_engine_running",
        "vllm:num_requests_running at the last scrape (summed over the engine's ranks).",
        s -> s.running());
    signalFamily(pools, "endpoint_engine_waiting",
        "vllm:num_requests_waiting at the last scrape (summed over the engine's ranks).",
        s -> s.waiting());
    signalFamily(pools, "endpoint_engine_kv_usage", "KV cache usage (0-1) at the last scrape.",
        LoadSignal::kvUsage);
    signalFamily(pools, "endpoint_signal_age_seconds",
        "Age of the endpoint's load signal; older than the max age it is ignored.",
        s -> s.ageNanos(now) / 1e9);
    signalFamily(pools, "endpoint_signal_fresh", "1 while the endpoint's load signal is used.",
        s -> s.ageNanos(now) <= maxAgeNanos ? 1 : 0);
    help("endpoint_scrapes_total", "counter",
        "Scrapes of the endpoint's /metrics by result (a failure never ejects it).");
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.health.length; e++) {
        sample("endpoint_scrapes_total", p.scrapes[e].successes(), "pool", p.name(),
            "endpoint", p.authorities[e], "result", "ok");
        sample("endpoint_scrapes_total", p.scrapes[e].failures(), "pool", p.name(),
            "endpoint", p.authorities[e], "result", "error");
      }
    }
  }

  private void signalFamily(UpstreamPool[] pools, String name, String text,
      ToDoubleFunction<LoadSignal> value) {
    help(name, "gauge", text);
    for (UpstreamPool p : pools) {
      for (int e = 0; e < p.health.length; e++) {
        LoadSignal s = p.endpoints.signal(e);
        if (s != null) {
          sample(name, value.applyAsDouble(s), "pool", p.name(), "endpoint", p.authorities[e]);
        }
      }
    }
  }

  private void histogram(String name, String text, BucketHistogram h, String pool) {
    help(name, "histogram", text);
    histogramSamples(name, h, pool);
  }

  private void histogramSamples(String name, BucketHistogram h, String pool) {
    double[] bounds = h.upperBounds();
    long[] counts = h.counts();
    long cumulative = 0;
    for (int i = 0; i <= bounds.length; i++) {
      cumulative += counts[i];
      String le = i < bounds.length ? number(bounds[i]) : "+Inf";
      if (pool == null) {
        sample(name + "_bucket", cumulative, "le", le);
      } else {
        sample(name + "_bucket", cumulative, "pool", pool, "le", le);
      }
    }
    if (pool == null) {
      sample(name + "_sum", h.sumSeconds());
      sample(name + "_count", cumulative);
    } else {
      sample(name + "_sum", h.sumSeconds(), "pool", pool);
      sample(name + "_count", cumulative, "pool", pool);
    }
  }

  private void help(String name, String type, String text) {
    sb.append("# HELP ").append(P).append(name).append(' ').append(text).append('\n');
    sb.append("# TYPE ").append(P).append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, double value, String... labels) {
    sb.append(P).append(name);
    if (labels.length > 0) {
      sb.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(labels[i]).append("=\"");
        escape(labels[i + 1]);
        sb.append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(number(value)).append('\n');
  }

  private void escape(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.US, "%.9g", v).replaceAll("0+(e|$)", "$1").replace(".e", "e");
  }
}
