package io.poolbench.traces.synthetic;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The built-in workloads. Lengths follow the token-length quantiles of the public Azure LLM
 * Inference 2023 traces (CC BY 4.0; Patel et al., Splitwise, ISCA 2024), drawn independently for
 * prompt and output (their correlation in the real traces is 0.001 for code and −0.11 for conv).
 */
public enum BuiltinWorkload {

  /**
   * The Azure 2023 conversation service: near-Poisson arrivals (the trace's inter-arrival CV is
   * 1.09) at 5.53 req/s by default, prompt p50 1,020 tokens, outputs capped at 1,000.
   */
  AZURE_CONV("azure-conv", 5.530, "prose") {
    @Override
    ArrivalProcess arrivals(WorkloadParams params) {
      return new ArrivalProcess.Poisson(params.ratePerSecond());
    }

    @Override
    TraceRequest draw(SplittableRandom random, long arrivalNanos, WorkloadParams params) {
      return request(arrivalNanos, tables().convPrompt.sample(random),
          tables().convOutput.sample(random), category());
    }
  },

  /**
   * The Azure 2023 coding service: bursty on/off arrivals at 2.567 req/s by default. Fitted to the
   * trace with a 5 s silence threshold: bursts average 16.7 s, silences 43.2 s (28% of the time
   * has arrivals), and gaps inside a burst have CV 2.2; the real trace's overall CV is 13.2.
   * Prompt p50 1,469 tokens (capped near 7.4K), outputs tiny (p50 13).
   */
  AZURE_CODE("azure-code", 2.567, "code") {
    @Override
    ArrivalProcess arrivals(WorkloadParams params) {
      return new ArrivalProcess.OnOff(params.ratePerSecond(), 16.7, 43.2, 2.2);
    }

    @Override
    TraceRequest draw(SplittableRandom random, long arrivalNanos, WorkloadParams params) {
      return request(arrivalNanos, tables().codePrompt.sample(random),
          tables().codeOutput.sample(random), category());
    }
  },

  /**
   * A mixture for two-pool studies: by default 85% of requests follow azure-conv restricted to
   * totals of at most 8,192 tokens, and 15% ({@code long-share}) are long-context requests (RAG,
   * long documents) whose prompt is log-uniform so that prompt + output lies in 8,193–65,536
   * tokens, with azure-conv's output distribution. Poisson arrivals, 10 req/s by default.
   */
  LONG_MIX("long-mix", 10.0, "prose") {
    static final int SHORT_LIMIT = 8_192;
    static final int LONG_LIMIT = 65_536;

    @Override
    ArrivalProcess arrivals(WorkloadParams params) {
      return new ArrivalProcess.Poisson(params.ratePerSecond());
    }

    @Override
    TraceRequest draw(SplittableRandom random, long arrivalNanos, WorkloadParams params) {
      Tables t = tables();
      boolean isLong = random.nextDouble() < params.longShare();
      int output = t.convOutput.sample(random);
      if (isLong) {
        int lo = SHORT_LIMIT + 1 - output;
        int hi = LONG_LIMIT - output;
        int prompt = (int) Math.round(Math.exp(Math.log(lo) + random.nextDouble() * Math.log((double) hi / lo)));
        return request(arrivalNanos, Math.min(hi, Math.max(lo, prompt)), output, "long-" + category());
      }
      int prompt;
      do {
        prompt = t.convPrompt.sample(random);
      } while (prompt + output > SHORT_LIMIT);
      return request(arrivalNanos, prompt, output, category());
    }
  };

  /** Default length of a generated workload. */
  public static final Duration DEFAULT_DURATION = Duration.ofHours(1);

  /** Default long share of {@code long-mix}. */
  public static final double DEFAULT_LONG_SHARE = 0.15;

  private final String spelling;
  private final double defaultRatePerSecond;
  private final String category;

  BuiltinWorkload(String spelling, double defaultRatePerSecond, String category) {
    this.spelling = spelling;
    this.defaultRatePerSecond = defaultRatePerSecond;
    this.category = category;
  }

  /** The name after {@code builtin:}, e.g. {@code azure-conv}. */
  public String spelling() {
    return spelling;
  }

  /** The mean rate used when none is given. */
  public double defaultRatePerSecond() {
    return defaultRatePerSecond;
  }

  /** The content category its requests carry. */
  public String category() {
    return category;
  }

  /** Default parameters: the native rate, one hour, seed 42, 15% long share. */
  public WorkloadParams defaults() {
    return new WorkloadParams(defaultRatePerSecond, DEFAULT_DURATION, WorkloadParams.DEFAULT_SEED,
        DEFAULT_LONG_SHARE);
  }

  abstract ArrivalProcess arrivals(WorkloadParams params);

  abstract TraceRequest draw(SplittableRandom random, long arrivalNanos, WorkloadParams params);

  /** Maps a spelling such as {@code azure-conv} (case-insensitive) to a workload. */
  public static BuiltinWorkload named(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (BuiltinWorkload w : values()) {
      if (w.spelling.equals(wanted)) {
        return w;
      }
    }
    throw new BadInputException("Unknown built-in workload '" + name + "': expected one of "
        + Arrays.stream(values()).map(BuiltinWorkload::spelling).collect(Collectors.joining(", ")));
  }

  final TraceRequest request(long arrivalNanos, int prompt, int output, String category) {
    return new TraceRequest(arrivalNanos, prompt, output, category, TraceRequest.NO_MAX_TOKENS,
        null, false, 0, "builtin:" + spelling, 0);
  }

  private static Tables tables() {
    return Tables.INSTANCE;
  }

  /** The quantile tables, loaded once on first use. */
  private static final class Tables {
    static final Tables INSTANCE = new Tables(QuantileTable.load("azure-2023-quantiles.csv"));

    final QuantileTable codePrompt;
    final QuantileTable codeOutput;
    final QuantileTable convPrompt;
    final QuantileTable convOutput;

    Tables(Map<String, QuantileTable> byColumn) {
      codePrompt = byColumn.get("code_prompt");
      codeOutput = byColumn.get("code_output");
      convPrompt = byColumn.get("conv_prompt");
      convOutput = byColumn.get("conv_output");
    }
  }
}
