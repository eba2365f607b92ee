package io.poolbench.traces.transform;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The trace transforms, as composable {@link TraceTransform}s. All keep arrival order; all that
 * draw random numbers take a seed and give the same result on every open.
 */
public final class Transforms {
  private static final double NANOS_PER_SECOND = 1e9;
  /** Mooncake prefix blocks hold 512 tokens. */
  private static final int HASH_BLOCK_TOKENS = 512;

  private Transforms() {}

  /**
   * Keeps requests arriving in [from, to) and shifts them so that {@code from} becomes 0. Stops
   * reading at {@code to}, so a window near the start of a huge file is cheap.
   */
  public static TraceTransform window(long fromNanos, long toNanos) {
    if (fromNanos < 0 || toNanos <= fromNanos) {
      throw new BadInputException("--from (" + fromNanos / NANOS_PER_SECOND
          + " s) must be >= 0 and before --to (" + toNanos / NANOS_PER_SECOND + " s)");
    }
    return source -> new TransformedSource(source, s -> s
        .dropWhile(r -> r.arrivalNanos() < fromNanos)
        .takeWhile(r -> r.arrivalNanos() < toNanos)
        .map(r -> r.withArrivalNanos(r.arrivalNanos() - fromNanos)));
  }

  /** Keeps the first {@code n} requests. */
  public static TraceTransform firstN(long n) {
    if (n < 1) {
      throw new BadInputException("--num-prompts (" + n + ") must be >= 1");
    }
    return source -> new TransformedSource(source, s -> s.limit(n));
  }

  /** Keeps each request with probability {@code fraction}, drawn from a seeded generator. */
  public static TraceTransform sample(double fraction, long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new BadInputException("--sample (" + fraction + ") must be a fraction in (0, 1]");
    }
    return source -> new TransformedSource(source, s -> {
      SplittableRandom random = new SplittableRandom(seed);
      return s.filter(r -> random.nextDouble() < fraction);
    });
  }

  /**
   * Caps prompt and output lengths (a prompt's prefix hashes are cut to its new block count).
   * Pass {@link Integer#MAX_VALUE} for no cap.
   */
  public static TraceTransform clampTokens(int maxPromptTokens, int maxOutputTokens) {
    if (maxPromptTokens < 1 || maxOutputTokens < 1) {
      throw new BadInputException("--max-prompt-tokens and --max-output-tokens must be >= 1");
    }
    return source -> new TransformedSource(source, s -> s.map(r -> {
      if (r.promptTokens() <= maxPromptTokens && r.outputTokens() <= maxOutputTokens) {
        return r;
      }
      int prompt = Math.min(r.promptTokens(), maxPromptTokens);
      TraceRequest clamped = r.withTokens(prompt, Math.min(r.outputTokens(), maxOutputTokens));
      long[] hashes = r.prefixHashes();
      int blocks = (prompt + HASH_BLOCK_TOKENS - 1) / HASH_BLOCK_TOKENS;
      if (hashes != null && hashes.length > blocks) {
        clamped = new TraceRequest(clamped.arrivalNanos(), clamped.promptTokens(),
            clamped.outputTokens(), clamped.category(), clamped.maxTokens(),
            Arrays.copyOf(hashes, blocks), clamped.failedInSource(), clamped.images(),
            clamped.sourceName(), clamped.sourceLine());
      }
      return clamped;
    }));
  }

  /** Sets each request's declared {@code max_tokens} (and caps its output at it). */
  public static TraceTransform maxTokens(MaxTokensPolicy policy) {
    return source -> new TransformedSource(source, s -> s.map(policy::apply));
  }

  /** Parses {@code actual}, {@code fixed:N} or {@code factor:X} into a max-tokens transform. */
  public static TraceTransform maxTokens(String spec) {
    return maxTokens(MaxTokensPolicy.parse(spec));
  }

  /**
   * Time-scales the trace's own arrivals so that its mean rate (rows / span) becomes
   * {@code rps}, keeping the burst shape. Reads the source once beforehand to learn its rate.
   */
  public static TraceTransform scaleToRate(double rps) {
    requireRate(rps);
    return source -> {
      Prepass pass = Prepass.of(source);
      double own = pass.meanRateRps();
      if (Double.isNaN(own)) {
        throw new BadInputException("--request-rate needs a trace with two or more distinct "
            + "arrival times; " + source.name() + " has " + pass.rows() + " row(s) spanning 0 s");
      }
      double factor = own / rps;
      long first = pass.firstNanos();
      return new TransformedSource(source, s -> s.map(r ->
          r.withArrivalNanos(Math.round((r.arrivalNanos() - first) * factor))));
    };
  }

  /**
   * Replaces arrival times with a seeded process at {@code rps} (NaN: the trace's own mean
   * rate), starting at 0.
   *
   * @param burstiness gamma shape (only for {@link ArrivalProcess#GAMMA}; 1 otherwise)
   */
  public static TraceTransform retime(ArrivalProcess process, double rps, double burstiness,
      long seed) {
    if (!Double.isNaN(rps)) {
      requireRate(rps);
    }
    if (!(burstiness > 0) || !Double.isFinite(burstiness)) {
      throw new BadInputException("--burstiness (" + burstiness + ") must be > 0");
    }
    if (process == ArrivalProcess.TRACE) {
      return Double.isNaN(rps) ? TraceTransform.identity() : scaleToRate(rps);
    }
    return source -> {
      double rate = rps;
      if (Double.isNaN(rate)) {
        Prepass pass = Prepass.of(source);
        rate = pass.meanRateRps();
        if (Double.isNaN(rate)) {
          throw new BadInputException("--arrival " + process.name().toLowerCase(java.util.Locale.ROOT)
              + " needs --request-rate: " + source.name() + " has no mean rate of its own");
        }
      }
      double meanGapSeconds = 1 / rate;
      return new TransformedSource(source, s -> {
        GapSampler gaps = new GapSampler(process, meanGapSeconds, burstiness, seed);
        double[] clock = {0};
        boolean[] first = {true};
        return s.map(r -> {
          if (first[0]) {
            first[0] = false;
          } else {
            clock[0] += gaps.next();
          }
          return r.withArrivalNanos(Math.round(clock[0] * NANOS_PER_SECOND));
        });
      });
    };
  }

  /**
   * Re-times the trace with a rate that ramps from {@code startRps} to {@code endRps} over its
   * rows, as vllm bench serve's {@code --ramp-up-strategy}: row {@code i} of {@code n} is sent at
   * rate {@code start + (end - start) * p} ({@code linear}) or {@code start * (end / start)^p}
   * ({@code exponential}), {@code p = i / (n - 1)}, each gap drawn by {@code process} (Poisson,
   * gamma with {@code burstiness}, or constant) at that row's rate. Reads the source once
   * beforehand to count its rows.
   */
  public static TraceTransform ramp(String strategy, double startRps, double endRps,
      ArrivalProcess process, double burstiness, long seed) {
    boolean exponential;
    String s = strategy == null ? "" : strategy.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("linear")) {
      exponential = false;
    } else if (s.equals("exponential")) {
      exponential = true;
    } else {
      throw new BadInputException("--ramp-up-strategy '" + strategy
          + "' is not linear or exponential");
    }
    if (!(startRps > 0) || !Double.isFinite(startRps)) {
      throw new BadInputException("--ramp-up-start-rps (" + startRps + ") must be a number > 0");
    }
    if (!(endRps > 0) || !Double.isFinite(endRps)) {
      throw new BadInputException("--ramp-up-end-rps (" + endRps + ") must be a number > 0");
    }
    if (!(burstiness > 0) || !Double.isFinite(burstiness)) {
      throw new BadInputException("--burstiness (" + burstiness + ") must be > 0");
    }
    ArrivalProcess gaps = process == ArrivalProcess.TRACE ? ArrivalProcess.POISSON : process;
    return source -> {
      long n = Prepass.of(source).rows();
      double denominator = Math.max(n - 1, 1);
      return new TransformedSource(source, stream -> {
        GapSampler unit = new GapSampler(gaps, 1.0, burstiness, seed);
        double[] clock = {0};
        long[] index = {0};
        return stream.map(r -> {
          long i = index[0]++;
          if (i > 0) {
            double p = i / denominator;
            double rate = exponential ? startRps * Math.pow(endRps / startRps, p)
                : startRps + (endRps - startRps) * p;
            clock[0] += unit.next() / rate;
          }
          return r.withArrivalNanos(Math.round(clock[0] * NANOS_PER_SECOND));
        });
      });
    };
  }

  /**
   * Repeats the trace without end, each pass shifted by its span plus one mean gap (1 s for a
   * one-row trace); follow it with {@link #cutAt}. An empty trace stays empty.
   */
  public static TraceTransform loop() {
    return source -> {
      Prepass pass = Prepass.of(source);
      if (pass.rows() == 0) {
        return source;
      }
      long span = pass.spanNanos();
      long period = pass.rows() > 1 && span > 0 ? span + span / (pass.rows() - 1)
          : 1_000_000_000L;
      long first = pass.firstNanos();
      return new TraceSource() {
        @Override
        public String name() {
          return source.name();
        }

        @Override
        public Stream<TraceRequest> open() {
          return LongStream.iterate(0, k -> k + 1).boxed().flatMap(k -> source.open()
              .map(r -> r.withArrivalNanos(r.arrivalNanos() - first + k * period)));
        }

        @Override
        public long skippedRows() {
          return source.skippedRows();
        }
      };
    };
  }

  /** Keeps requests arriving before {@code durationNanos} and stops there. */
  public static TraceTransform cutAt(long durationNanos) {
    if (durationNanos <= 0) {
      throw new BadInputException("--duration must be > 0");
    }
    return source -> new TransformedSource(source,
        s -> s.takeWhile(r -> r.arrivalNanos() < durationNanos));
  }

  /** Loops the trace as needed and cuts it to {@code durationNanos}. */
  public static TraceTransform duration(long durationNanos) {
    return loop().andThen(cutAt(durationNanos));
  }

  private static void requireRate(double rps) {
    if (!(rps > 0) || !Double.isFinite(rps)) {
      throw new BadInputException("--request-rate (" + rps + ") must be a number > 0");
    }
  }
}
