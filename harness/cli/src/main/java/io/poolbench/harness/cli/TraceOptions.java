package io.poolbench.harness.cli;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.TraceSources;
import io.poolbench.traces.format.OnBadRow;
import io.poolbench.traces.format.OnUnordered;
import io.poolbench.traces.format.ReadOptions;
import io.poolbench.traces.format.TraceFormat;
import io.poolbench.traces.format.generic.ArrivalUnit;
import io.poolbench.traces.format.generic.ColumnMapping;
import io.poolbench.traces.transform.ArrivalProcess;
import io.poolbench.traces.transform.TraceTransform;
import io.poolbench.traces.transform.Transforms;
import picocli.CommandLine.Option;

/**
 * The flags every command that takes a trace shares: how to read the file, and the transforms to
 * apply, in this order: window, sampling, first N, timing (rate scaling or re-timing), duration
 * (loop or cut), length clamps, output budget.
 */
public final class TraceOptions {

  @Option(names = "--format", paramLabel = "<format>",
      description = "Trace format: azure, burstgpt, mooncake, csv or jsonl. Default: detected from "
          + "the header and the file extension.")
  String format;

  @Option(names = "--on-bad-row", paramLabel = "<policy>", defaultValue = "fail",
      description = "What to do with a malformed row: fail (stop with file:line, the default) or "
          + "skip (skip and count it as skipped_rows).")
  String onBadRow;

  @Option(names = "--on-unordered", paramLabel = "<policy>", defaultValue = "fail",
      description = "What to do when a timestamp goes backwards: fail (the default), keep (file "
          + "order; the row arrives at the same time as the previous one) or sort (sort in memory).")
  String onUnordered;

  @Option(names = "--arrival-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the arrival time column. Default: arrival_ms.")
  String arrivalColumn;

  @Option(names = "--arrival-unit", paramLabel = "<unit>",
      description = "Generic csv/jsonl: the arrival column's unit: s, ms, us, ns or iso. "
          + "Default: ms.")
  String arrivalUnit;

  @Option(names = "--prompt-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the prompt-token column. Default: prompt_tokens.")
  String promptColumn;

  @Option(names = "--output-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the output-token column. Default: output_tokens.")
  String outputColumn;

  @Option(names = "--category-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the optional category column. Default: category.")
  String categoryColumn;

  @Option(names = "--max-tokens-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the optional declared max_tokens column. "
          + "Default: max_tokens.")
  String maxTokensColumn;

  @Option(names = "--hash-ids-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the optional prefix-block hash ids column (a list of "
          + "integers, 512 tokens each). Default: hash_ids.")
  String hashIdsColumn;

  @Option(names = "--session-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the optional conversation id column; each turn's prompt "
          + "starts with the previous turn's. Default: session_id.")
  String sessionColumn;

  @Option(names = "--prefix-id-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the optional shared-prefix id column (with "
          + "--prefix-tokens-column). Default: prefix_id.")
  String prefixIdColumn;

  @Option(names = "--prefix-tokens-column", paramLabel = "<name>",
      description = "Generic csv/jsonl: the optional shared-prefix length column, in tokens. "
          + "Default: prefix_tokens.")
  String prefixTokensColumn;

  @Option(names = "--from", paramLabel = "<duration>",
      description = "Keep requests arriving at or after this offset (e.g. 10m); the window then "
          + "starts at 0.")
  String from;

  @Option(names = "--to", paramLabel = "<duration>",
      description = "Keep requests arriving before this offset (e.g. 1h30m).")
  String to;

  @Option(names = "--sample", paramLabel = "<fraction>",
      description = "Keep each request with this probability, in (0, 1] (seeded).")
  String sample;

  @Option(names = "--num-prompts", paramLabel = "<n>",
      description = "Keep the first <n> requests.")
  String numPrompts;

  @Option(names = "--request-rate", paramLabel = "<rps>",
      description = "Mean request rate in requests/s: with --arrival trace, time-scales the "
          + "trace's own arrivals (keeping the burst shape); otherwise the re-timing rate.")
  String requestRate;

  @Option(names = "--arrival", paramLabel = "<process>",
      description = "Arrival timing: trace (the default), poisson, gamma or constant; the last "
          + "three re-time requests at --request-rate (default: the trace's own mean rate). "
          + "--burstiness alone implies gamma.")
  String arrival;

  @Option(names = "--burstiness", paramLabel = "<b>",
      description = "Gamma shape, as vllm bench serve uses it: gaps ~ Gamma(shape=B, "
          + "scale=1/(R*B)); B < 1 is burstier than Poisson, 1 is Poisson, inf is constant gaps. "
          + "Without --arrival it implies --arrival gamma (constant for inf). Default: 1.")
  String burstiness;

  @Option(names = "--ramp-up-strategy", paramLabel = "<strategy>",
      description = "Ramp the rate over the run, as vllm bench serve: linear or exponential from "
          + "--ramp-up-start-rps to --ramp-up-end-rps across the requests (gaps by --arrival: "
          + "poisson unless gamma or constant). In 'sweep': the steps instead.")
  String rampUpStrategy;

  @Option(names = "--ramp-up-start-rps", paramLabel = "<rps>",
      description = "The ramp's first rate (req/s).")
  String rampUpStartRps;

  @Option(names = "--ramp-up-end-rps", paramLabel = "<rps>",
      description = "The ramp's last rate (req/s).")
  String rampUpEndRps;

  @Option(names = "--duration", paramLabel = "<duration>",
      description = "Loop or cut the trace to this length (e.g. 90s, 10m, 1h30m).")
  String duration;

  @Option(names = "--max-prompt-tokens", paramLabel = "<n>",
      description = "Cap every prompt at <n> tokens.")
  String maxPromptTokens;

  @Option(names = "--max-output-tokens", paramLabel = "<n>",
      description = "Cap every output at <n> tokens.")
  String maxOutputTokens;

  @Option(names = "--max-tokens", paramLabel = "<budget>",
      description = "The max_tokens each request declares: actual (its output length), fixed:N, "
          + "or factor:X (ceil(output * X)); output is capped at it. Default: as in the trace.")
  String maxTokens;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "0",
      description = "Seed for --sample and re-timing. Default: 0.")
  String seed;

  /** The read options these flags describe. */
  public ReadOptions readOptions() {
    ColumnMapping columns = ColumnMapping.poolbench();
    if (arrivalColumn != null || arrivalUnit != null) {
      columns = columns.withArrival(arrivalColumn != null ? arrivalColumn : columns.arrival(),
          arrivalUnit != null ? ArrivalUnit.named(arrivalUnit) : columns.arrivalUnit());
    }
    if (promptColumn != null) {
      columns = columns.withPrompt(promptColumn);
    }
    if (outputColumn != null) {
      columns = columns.withOutput(outputColumn);
    }
    if (categoryColumn != null) {
      columns = columns.withCategory(categoryColumn);
    }
    if (maxTokensColumn != null) {
      columns = columns.withMaxTokens(maxTokensColumn);
    }
    if (hashIdsColumn != null) {
      columns = columns.withHashIds(hashIdsColumn);
    }
    if (sessionColumn != null) {
      columns = columns.withSession(sessionColumn);
    }
    if (prefixIdColumn != null || prefixTokensColumn != null) {
      columns = columns.withPrefix(prefixIdColumn != null ? prefixIdColumn : columns.prefixId(),
          prefixTokensColumn != null ? prefixTokensColumn : columns.prefixTokens());
    }
    return new ReadOptions(format == null ? null : TraceFormat.named(format),
        OnBadRow.named(onBadRow), OnUnordered.named(onUnordered), columns);
  }

  /** Whether any --ramp-up-* flag was given. */
  boolean ramped() {
    return rampUpStrategy != null || rampUpStartRps != null || rampUpEndRps != null;
  }

  /** The transforms these flags describe, composed in the documented order. */
  public TraceTransform transform() {
    return transform(true);
  }

  /** As {@link #transform()}; without {@code withRamp} the --ramp-up-* flags are left out. */
  TraceTransform transform(boolean withRamp) {
    long seedValue = Quantities.longAtLeast(seed, Long.MIN_VALUE, "--seed");
    TraceTransform t = TraceTransform.identity();
    if (from != null || to != null) {
      long fromNanos = from == null ? 0 : Quantities.durationNanos(from, "--from");
      long toNanos = to == null ? Long.MAX_VALUE : Quantities.durationNanos(to, "--to");
      t = t.andThen(Transforms.window(fromNanos, toNanos));
    }
    if (sample != null) {
      t = t.andThen(Transforms.sample(Quantities.positive(sample, "--sample"), seedValue));
    }
    if (numPrompts != null) {
      t = t.andThen(Transforms.firstN(Quantities.longAtLeast(numPrompts, 1, "--num-prompts")));
    }
    ArrivalProcess process = arrivalProcess();
    double rate = requestRate == null ? Double.NaN
        : Quantities.positive(requestRate, "--request-rate");
    Double b = burstinessValue();
    double shape = b == null || b.isInfinite() ? 1 : b;
    if (withRamp && ramped()) {
      if (rampUpStrategy == null || rampUpStartRps == null || rampUpEndRps == null) {
        throw new BadInputException("A ramp needs all of --ramp-up-strategy, "
            + "--ramp-up-start-rps and --ramp-up-end-rps");
      }
      if (requestRate != null) {
        throw new BadInputException("--request-rate and --ramp-up-* exclude each other: the "
            + "ramp sets the rate");
      }
      t = t.andThen(Transforms.ramp(rampUpStrategy,
          Quantities.positive(rampUpStartRps, "--ramp-up-start-rps"),
          Quantities.positive(rampUpEndRps, "--ramp-up-end-rps"), process, shape, seedValue));
    } else {
      t = t.andThen(Transforms.retime(process, rate, shape, seedValue));
    }
    if (duration != null) {
      t = t.andThen(Transforms.duration(Quantities.durationNanos(duration, "--duration")));
    }
    if (maxPromptTokens != null || maxOutputTokens != null) {
      t = t.andThen(Transforms.clampTokens(cap(maxPromptTokens, "--max-prompt-tokens"),
          cap(maxOutputTokens, "--max-output-tokens")));
    }
    if (maxTokens != null) {
      t = t.andThen(Transforms.maxTokens(maxTokens));
    }
    return t;
  }

  /**
   * The arrival process these flags ask for: {@code --arrival}, else gamma when only
   * {@code --burstiness} is given (constant for {@code --burstiness inf}, as vllm bench serve's
   * infinite burstiness means equal gaps), else the trace's own timing.
   */
  public ArrivalProcess arrivalProcess() {
    if (arrival != null) {
      ArrivalProcess named = ArrivalProcess.named(arrival);
      Double b = burstinessValue();
      if (b != null) {
        boolean fits = named == ArrivalProcess.GAMMA && !b.isInfinite()
            || named == ArrivalProcess.POISSON && b == 1.0
            || named == ArrivalProcess.CONSTANT && b.isInfinite();
        if (!fits) {
          throw new BadInputException("--burstiness " + burstiness + " does not fit --arrival "
              + arrival + ": burstiness is the gamma shape (1 is poisson, inf is constant); "
              + "drop --arrival, or use --arrival gamma");
        }
      }
      return named;
    }
    if (burstiness != null) {
      return burstinessValue().isInfinite() ? ArrivalProcess.CONSTANT : ArrivalProcess.GAMMA;
    }
    return ArrivalProcess.TRACE;
  }

  /**
   * The gamma shape of the arrivals as vllm bench serve writes it: {@code --burstiness} (positive
   * infinity for {@code inf}), 1 for poisson, infinity for constant, null for the trace's own
   * timing (where no shape applies).
   */
  public Double burstinessValue() {
    if (burstiness != null) {
      String b = burstiness.strip();
      if (b.equalsIgnoreCase("inf") || b.equalsIgnoreCase("infinity")) {
        return Double.POSITIVE_INFINITY;
      }
      return Quantities.positive(b, "--burstiness");
    }
    if (arrival == null) {
      return null;
    }
    return switch (ArrivalProcess.named(arrival)) {
      case POISSON, GAMMA -> 1.0;
      case CONSTANT -> Double.POSITIVE_INFINITY;
      case TRACE -> null;
    };
  }

  /** Resolves a source string (a file path or {@code builtin:<spec>}) and applies the transforms. */
  public TraceSource resolve(String source) {
    return resolve(source, true);
  }

  /** As {@link #resolve(String)}; without {@code withRamp} the --ramp-up-* flags are left out. */
  TraceSource resolve(String source, boolean withRamp) {
    TraceTransform transform = transform(withRamp); // flag errors first, before the file
    return transform.applyTo(TraceSources.resolve(source, readOptions()));
  }

  private static int cap(String value, String flag) {
    return value == null ? Integer.MAX_VALUE
        : (int) Math.min(Integer.MAX_VALUE, Quantities.longAtLeast(value, 1, flag));
  }
}
