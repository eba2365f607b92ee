package io.poolbench.traces.transform;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * One streaming pass over a source for the figures a transform needs before it can start:
 * row count and first and last arrival.
 *
 * @param rows requests in the source
 * @param firstNanos first arrival (0 when empty)
 * @param lastNanos last arrival (0 when empty)
 */
record Prepass(long rows, long firstNanos, long lastNanos) {

  static Prepass of(TraceSource source) {
    long rows = 0;
    long first = 0;
    long last = 0;
    try (Stream<TraceRequest> requests = source.open()) {
      Iterator<TraceRequest> it = requests.iterator();
      while (it.hasNext()) {
        long t = it.next().arrivalNanos();
        if (rows++ == 0) {
          first = t;
        }
        last = t;
      }
    }
    return new Prepass(rows, first, last);
  }

  long spanNanos() {
    return lastNanos - firstNanos;
  }

  /** rows / span in requests per second, or NaN when the span is 0. */
  double meanRateRps() {
    return spanNanos() > 0 ? rows / (spanNanos() / 1e9) : Double.NaN;
  }
}
