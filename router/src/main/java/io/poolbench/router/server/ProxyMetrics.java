package io.poolbench.router.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * The service's own counters and histograms, next to the router core's {@link
 * io.poolbench.router.metrics.RouterMetrics}: decision time, upstream latency and time to first
 * byte per pool, fallbacks, rejected requests by reason, upstream failures by kind and retries
 * on another endpoint by reason.
 */
public final class ProxyMetrics {

  static final double[] DECISION_BOUNDS = {1e-7, 2.5e-7, 5e-7, 1e-6, 2.5e-6, 5e-6, 1e-5,
      2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2};
  static final double[] LATENCY_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
      0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

  /** Why the router answered a request itself. */
  public enum Rejection {
    BAD_REQUEST, TOO_LARGE, NOT_FOUND,
    NO_ENDPOINT, UPSTREAM_ERROR, TIMEOUT,
    UNAUTHORIZED;

    /** The Prometheus label value: the constant's name in lower case. */
    final String label = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Upstream failures the router observed. */
  public enum Failure {
    CONNECT, STATUS_5XX, STREAM_ERROR,
    CLOSED, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT,
    CLIENT_GONE;

    /** The Prometheus label value: the constant's name in lower case. */
    final String label = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Why a request was sent again to another endpoint (before any byte reached the client). */
  public enum Retry {
    CONNECT, CLOSED, FIRST_BYTE_TIMEOUT,
    STATUS_500, STATUS_502, STATUS_503,
    STATUS_504;

    /** The Prometheus label value: the constant's name in lower case. */
    final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The reason for an upstream answer with {@code status}, or null when it is not retried. */
    static Retry forStatus(int status) {
      return switch (status) {
        case 500 -> STATUS_500;
        case 502 -> STATUS_502;
        case 503 -> STATUS_503;
        case 504 -> STATUS_504;
        default -> null;
      };
    }
  }

  final BucketHistogram decision = new BucketHistogram(DECISION_BOUNDS);
  final BucketHistogram[] latency;
  final BucketHistogram[] firstByte;
  final LongAdder[] fallbacks;
  final LongAdder[] requests;
  final LongAdder[] rejections = adders(Rejection.values().length);
  final LongAdder[] failures = adders(Failure.values().length);
  final LongAdder[] retries = adders(Retry.values().length);

  ProxyMetrics(int pools) {
    latency = new BucketHistogram[pools];
    firstByte = new BucketHistogram[pools];
    for (int i = 0; i < pools; i++) {
      latency[i] = new BucketHistogram(LATENCY_BOUNDS);
      firstByte[i] = new BucketHistogram(LATENCY_BOUNDS);
    }
    fallbacks = adders(pools);
    requests = adders(pools);
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  void reject(Rejection r) {
    rejections[r.ordinal()].increment();
  }

  void failure(Failure f) {
    failures[f.ordinal()].increment();
  }

  void retry(Retry r) {
    retries[r.ordinal()].increment();
  }

  /** Requests sent again to another endpoint for reason {@code r}. */
  public long retries(Retry r) {
    return retries[r.ordinal()].sum();
  }

  /** Requests the router answered itself for reason {@code r}. */
  public long rejections(Rejection r) {
    return rejections[r.ordinal()].sum();
  }

  /** Upstream failures of kind {@code f}. */
  public long failures(Failure f) {
    return failures[f.ordinal()].sum();
  }

  /** Context-length retries that left pool {@code pool}. */
  public long fallbacks(int pool) {
    return fallbacks[pool].sum();
  }

  /** Upstream attempts sent to pool {@code pool} (retries included). */
  public long requests(int pool) {
    return requests[pool].sum();
  }
}
