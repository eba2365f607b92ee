package io.poolbench.traces.synthetic;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The built-in workloads. Lengths follow the public Azure LLM Inference 2023 traces (CC BY 4.0;
 * Patel et al., Splitwise, ISCA 2024): the prompt from its quantile table, and the output from the
 * quantiles of outputs among requests in the same prompt decile. Conditioning matters for conv,
 * where prompts of 703–1,315 tokens get outputs with median ~400 and the others ~60–160, which a
 * draw from the marginal alone would smear out.
 */
public enum BuiltinWorkload {

  /**
   * The Azure 2023 conversation service: near-Poisson arrivals (the trace's inter-arrival CV is
   * 1.09) at 5.53 req/s by default, prompt p50 1,020 tokens, outputs capped at 1,000.
   */
  AZURE_CONV("azure-conv", 5.530, "prose") {
    @Override
    ArrivalPattern arrivals(WorkloadParams params) {
      return new ArrivalPattern.Poisson(params.ratePerSecond());
    }

    @Override
    TraceRequest draw(SplittableRandom random, long arrivalNanos, WorkloadParams params) {
      return request(arrivalNanos, tables().conv, random, category());
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
    ArrivalPattern arrivals(WorkloadParams params) {
      return new ArrivalPattern.OnOff(params.ratePerSecond(), 16.7, 43.2, 2.2);
    }

    @Override
    TraceRequest draw(SplittableRandom random, long arrivalNanos, WorkloadParams params) {
      return request(arrivalNanos, tables().code, random, category());
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
    ArrivalPattern arrivals(WorkloadParams params) {
      return new ArrivalPattern.Poisson(params.ratePerSecond());
    }

    @Override
    TraceRequest draw(SplittableRandom random, long arrivalNanos, WorkloadParams params) {
      LengthModel conv = tables().conv;
      boolean isLong = random.nextDouble() < params.longShare();
      if (isLong) {
        int output = conv.output(random.nextDouble(), random);
        int lo = SHORT_LIMIT + 1 - output;
        int hi = LONG_LIMIT - output;
        int prompt = (int) Math.round(Math.exp(Math.log(lo) + random.nextDouble() * Math.log((double) hi / lo)));
        return request(arrivalNanos, Math.min(hi, Math.max(lo, prompt)), output, "long-" + category());
      }
      int prompt;
      int output;
      do {
        double u = random.nextDouble();
        prompt = conv.prompt(u);
        output = conv.output(u, random);
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

  abstract ArrivalPattern arrivals(WorkloadParams params);

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
        + String.join(", ", BuiltinWorkloads.names()));
  }

  final TraceRequest request(long arrivalNanos, LengthModel lengths, SplittableRandom random,
      String category) {
    double u = random.nextDouble();
    return request(arrivalNanos, lengths.prompt(u), lengths.output(u, random), category);
  }

  final TraceRequest request(long arrivalNanos, int prompt, int output, String category) {
    return new TraceRequest(arrivalNanos, prompt, output, category, TraceRequest.NO_MAX_TOKENS,
        null, false, 0, "builtin:" + spelling, 0);
  }

  private static Tables tables() {
    return Tables.INSTANCE;
  }

  /** Prompt lengths and, per prompt decile, output lengths of one service. */
  private record LengthModel(QuantileTable prompt, QuantileTable[] outputByDecile) {
    int prompt(double u) {
      return prompt.at(u);
    }

    /** An output length for the prompt drawn at cumulative probability {@code u}. */
    int output(double u, SplittableRandom random) {
      return outputByDecile[Math.min(outputByDecile.length - 1, (int) (u * outputByDecile.length))]
          .sample(random);
    }

    static LengthModel of(String service, Map<String, QuantileTable> prompts,
        Map<String, QuantileTable> outputs) {
      QuantileTable[] byDecile = new QuantileTable[10];
      for (int d = 0; d < byDecile.length; d++) {
        byDecile[d] = outputs.get(service + "_d" + d);
      }
      return new LengthModel(prompts.get(service + "_prompt"), byDecile);
    }
  }

  /** The quantile tables, loaded once on first use. */
  private static final class Tables {
    static final Tables INSTANCE = new Tables(QuantileTable.load("azure-2023-quantiles.csv"),
        QuantileTable.load("azure-2023-output-by-prompt-decile.csv"));

    final LengthModel code;
    final LengthModel conv;

    Tables(Map<String, QuantileTable> prompts, Map<String, QuantileTable> outputs) {
      code = LengthModel.of("code", prompts, outputs);
      conv = LengthModel.of("conv", prompts, outputs);
    }
  }
}
