package io.poolbench.harness.sizing;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One pass over a trace: α (the share of requests whose budget, prompt + max_tokens, is within
 * B_short), the arrival rate, and bounded samples of short and long requests for measuring
 * per-instance throughput.
 *
 * @param requests requests in the trace
 * @param alpha share with budget ≤ B_short
 * @param ratePerSecond arrivals ÷ span of arrival times
 * @param shortSample up to {@code sample} requests within B_short
 * @param longSample up to {@code sample} requests beyond B_short
 * @param allSample up to {@code sample} requests of any size
 */
public record TraceMix(long requests, double alpha, double ratePerSecond,
    List<TraceRequest> shortSample, List<TraceRequest> longSample,
    List<TraceRequest> allSample) {

  /** The budget the simulator sends: prompt + declared max_tokens, else prompt + output. */
  public static long budget(TraceRequest r) {
    return (long) r.promptTokens() + (r.hasMaxTokens() ? r.maxTokens()
        : Math.max(1, r.outputTokens()));
  }

  /** Reads {@code source} once. */
  public static TraceMix of(TraceSource source, int shortBudgetTokens, int sample) {
    long n = 0;
    long within = 0;
    long first = -1;
    long last = 0;
    List<TraceRequest> shorts = new ArrayList<>();
    List<TraceRequest> longs = new ArrayList<>();
    List<TraceRequest> all = new ArrayList<>();
    try (Stream<TraceRequest> s = source.open()) {
      for (var it = s.iterator(); it.hasNext(); ) {
        TraceRequest r = it.next();
        n++;
        if (first < 0) {
          first = r.arrivalNanos();
        }
        last = r.arrivalNanos();
        if (budget(r) <= shortBudgetTokens) {
          within++;
          if (shorts.size() < sample) {
            shorts.add(r);
          }
        } else if (longs.size() < sample) {
          longs.add(r);
        }
        if (all.size() < sample) {
          all.add(r);
        }
      }
    }
    double span = (last - Math.max(first, 0)) / 1e9;
    return new TraceMix(n, n == 0 ? 0 : (double) within / n, span > 0 ? (n - 1) / span : 0,
        shorts, longs, all);
  }
}
