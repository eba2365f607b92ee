package io.poolbench.router.server.signal;

import java.util.Map;
import java.util.Objects;

/**
 * One sample line of a Prometheus text page.
 *
 * @param name metric name, for example {@code vllm:num_requests_running}
 * @param labels label names to (unescaped) values; empty without labels
 * @param value the sample value; NaN and ±Inf allowed
 * @param timestampMillis the optional timestamp (ms since the epoch), or {@link #NO_TIMESTAMP}
 */
public record MetricSample(String name, Map<String, String> labels, double value,
    long timestampMillis) {

  /** {@link #timestampMillis()} of a sample that carries no timestamp. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  public MetricSample {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
  }

  /** True when the line carried a timestamp. */
  public boolean hasTimestamp() {
    return timestampMillis != NO_TIMESTAMP;
  }

  /** The value of label {@code label}, or null. */
  public String label(String label) {
    return labels.get(label);
  }
}
