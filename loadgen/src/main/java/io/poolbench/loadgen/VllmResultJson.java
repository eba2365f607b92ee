package io.poolbench.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolbench.reports.rundir.HlogTotals;
import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RequestLogReader;
import io.poolbench.reports.rundir.RequestRow;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.HdrHistogram.Histogram;

/**
 * Writes a run directory as {@code vllm bench serve --save-result} writes its result file, with
 * the same keys in the same order, so that tools built for vLLM's benchmark read poolbench runs:
 * the settings (date, endpoint_type, backend, label, model_id, tokenizer_id, num_prompts, the
 * {@code --metadata} pairs, request_rate, burstiness, max_concurrency), the counts and
 * throughputs, the per-request lists, max_output_tokens_per_s, max_concurrent_requests, rtfx, and
 * {@code mean_/median_/std_/p<N>_<metric>_ms} for each selected metric. Without
 * {@code detailed} the lists vLLM drops without {@code --save-detailed} are left out (input_lens,
 * output_lens, start_times, ttfts, itls, generated_texts, errors; latencies and queue_times stay,
 * as in vLLM).
 *
 * <p>Statistics are computed as vLLM computes them (numpy mean, median, population standard
 * deviation, linearly interpolated percentiles) over the same sets: ttft and e2el over ok
 * requests, tpot over ok requests with more than one output token, itl over every gap of every ok
 * request (from {@link LoadgenSettings#ITLS_CSV_GZ}; from latency.hlog's histograms when a run
 * directory has no such file). The differences, stated in the file's {@code poolbench_note}:
 * latencies count from each request's planned send time (vLLM's from the actual send), and
 * {@code start_times} are planned send times in seconds from the run's start, so
 * {@code e2el_including_client_queue} equals {@code e2el}; generated texts are not kept (empty
 * strings); {@code max_concurrent_requests} counts requests between their actual send and their
 * end.
 */
public final class VllmResultJson {

  /** The metric names of vLLM's {@code --percentile-metrics}. */
  public static final List<String> METRICS = List.of("ttft", "tpot", "itl", "e2el",
      "client_queue_time", "e2el_including_client_queue");

  /** The per-request lists vLLM writes only with {@code --save-detailed}. */
  public static final List<String> DETAILED_ONLY = List.of("input_lens", "output_lens",
      "start_times", "ttfts", "itls", "generated_texts", "errors");

  private static final ObjectMapper JSON = new ObjectMapper();

  private VllmResultJson() {}

  /**
   * What vLLM writes from its flags rather than from the run.
   *
   * @param backend vLLM's {@code --backend} (also written as endpoint_type): openai or openai-chat
   * @param label {@code --label}, or null
   * @param modelId the model
   * @param tokenizerId the tokenizer prompts were sized with
   * @param metadata {@code --metadata} pairs, written as top-level keys after num_prompts
   * @param requestRate the rate in requests/s, or the string {@code inf}
   * @param burstiness the gamma shape of the arrivals, the string {@code inf} for constant gaps,
   *     or null where no shape applies (the trace's own timing)
   * @param maxConcurrency the concurrency cap, or null for none
   * @param percentileMetrics the metrics to write statistics for, names of {@link #METRICS}
   * @param percentiles the percentiles to write as {@code p<N>_<metric>_ms}
   * @param detailed whether to keep the lists of {@link #DETAILED_ONLY} ({@code --save-detailed})
   * @param append whether to append the result as one more JSON line ({@code --append-result})
   */
  public record Options(String backend, String label, String modelId, String tokenizerId,
      Map<String, String> metadata, Object requestRate, Object burstiness, Integer maxConcurrency,
      List<String> percentileMetrics, List<Double> percentiles, boolean detailed, boolean append) {}

  /** One request of the run, as read back from requests.csv.gz. */
  private record Row(long id, boolean ok, int prompt, int output, double startS, double queueS,
      double ttftS, double e2eS, String error) {}

  /** Writes {@code out} from the run directory {@code dir}; returns what was written. */
  public static Map<String, Object> write(RunDirectory dir, Path out, Options o) {
    Map<String, Object> result = result(dir, o);
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      byte[] line = JSON.writeValueAsBytes(result);
      try (OutputStream file = o.append()
          ? Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
          : Files.newOutputStream(out)) {
        if (o.append() && Files.size(out) > 0) {
          file.write('\n');
        }
        file.write(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + out, e);
    }
    return result;
  }

  /** The result object, keys in vLLM's order. */
  static Map<String, Object> result(RunDirectory dir, Options o) {
    Summary summary = dir.readSummary();
    List<Row> rows = readRows(dir);
    Map<Long, long[]> gapsNs = readItls(dir);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("date", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    result.put("endpoint_type", o.backend());
    result.put("backend", o.backend());
    result.put("label", o.label());
    result.put("model_id", o.modelId());
    result.put("tokenizer_id", o.tokenizerId());
    result.put("num_prompts", rows.size());
    o.metadata().forEach(result::put);
    result.put("request_rate", o.requestRate());
    result.put("burstiness", o.burstiness());
    result.put("max_concurrency", o.maxConcurrency());

    List<Integer> inputLens = new ArrayList<>(rows.size());
    List<Integer> outputLens = new ArrayList<>(rows.size());
    List<Double> ttfts = new ArrayList<>(rows.size());
    List<List<Double>> itls = new ArrayList<>(rows.size());
    List<Double> latencies = new ArrayList<>(rows.size());
    List<Double> startTimes = new ArrayList<>(rows.size());
    List<Double> queueTimes = new ArrayList<>(rows.size());
    List<String> texts = new ArrayList<>(rows.size());
    List<String> errors = new ArrayList<>(rows.size());
    Values ttftOk = new Values();
    Values tpotOk = new Values();
    Values itlOk = new Values();
    Values e2eOk = new Values();
    Values queueOk = new Values();
    long totalInput = 0;
    long totalOutput = 0;
    long completed = 0;
    for (Row r : rows) {
      long[] gaps = r.ok() ? gapsNs.getOrDefault(r.id(), new long[0]) : new long[0];
      List<Double> itl = new ArrayList<>(gaps.length);
      for (long g : gaps) {
        itl.add(g / 1e9);
      }
      inputLens.add(r.prompt());
      outputLens.add(r.ok() ? r.output() : 0);
      ttfts.add(r.ok() ? r.ttftS() : 0.0);
      itls.add(itl);
      latencies.add(r.ok() ? r.e2eS() : 0.0);
      startTimes.add(r.startS());
      queueTimes.add(r.queueS());
      texts.add("");
      errors.add(r.error());
      if (r.ok()) {
        completed++;
        totalInput += r.prompt();
        totalOutput += r.output();
        ttftOk.add(r.ttftS() * 1000);
        e2eOk.add(r.e2eS() * 1000);
        queueOk.add(r.queueS() * 1000);
        if (r.output() > 1) {
          tpotOk.add((r.e2eS() - r.ttftS()) / (r.output() - 1) * 1000);
        }
        for (long g : gaps) {
          itlOk.add(g / 1e6);
        }
      }
    }
    double seconds = Math.max(summary.durationS(), 1e-9);
    result.put("duration", summary.durationS());
    result.put("completed", completed);
    result.put("failed", rows.size() - completed);
    result.put("total_input_tokens", totalInput);
    result.put("total_output_tokens", totalOutput);
    result.put("request_throughput", completed / seconds);
    result.put("request_goodput", summary.goodputRps());
    result.put("output_throughput", totalOutput / seconds);
    result.put("total_token_throughput", (totalInput + totalOutput) / seconds);
    result.put("input_lens", inputLens);
    result.put("output_lens", outputLens);
    result.put("ttfts", ttfts);
    result.put("itls", itls);
    result.put("latencies", latencies);
    result.put("start_times", startTimes);
    result.put("queue_times", queueTimes);
    result.put("generated_texts", texts);
    result.put("errors", errors);
    result.put("max_output_tokens_per_s", peakOutputTokensPerSecond(rows, gapsNs));
    result.put("max_concurrent_requests", peakConcurrency(rows));
    result.put("rtfx", 0.0);

    Histogram itlHistogram = gapsNs.isEmpty() && completed > 0
        ? HlogTotals.read(dir.file(RunDirectory.LATENCY_HLOG)).get(LatencyMetric.ITL) : null;
    for (String metric : o.percentileMetrics()) {
      switch (metric) {
        case "ttft" -> stats(result, metric, ttftOk, o.percentiles());
        case "tpot" -> stats(result, metric, tpotOk, o.percentiles());
        case "itl" -> {
          if (itlHistogram != null) {
            stats(result, metric, itlHistogram, o.percentiles());
          } else {
            stats(result, metric, itlOk, o.percentiles());
          }
        }
        case "e2el", "e2el_including_client_queue" -> stats(result, metric, e2eOk, o.percentiles());
        case "client_queue_time" -> stats(result, metric, queueOk, o.percentiles());
        default -> throw new IllegalArgumentException("unknown metric " + metric
            + "; expected one of " + METRICS);
      }
    }
    if (!o.detailed()) {
      DETAILED_ONLY.forEach(result::remove);
    }
    result.put("poolbench_note", "Written by poolbench from a run directory: latencies (ttfts, "
        + "latencies, e2el) count from each request's planned send time, start_times are planned "
        + "send times in seconds from the run's start and queue_times the wait from there to the "
        + "actual send (no coordinated omission); e2el_including_client_queue therefore equals "
        + "e2el; generated_texts are not kept; request_goodput counts against the run's SLO (TTFT "
        + summary.slo().ttftMs() + " ms, TPOT " + summary.slo().tpotMs() + " ms)"
        + (itlHistogram != null ? "; itl statistics from latency.hlog (3 significant digits)" : "")
        + ".");
    return result;
  }

  /** The rows of requests.csv.gz in request order. */
  private static List<Row> readRows(RunDirectory dir) {
    List<Row> rows = new ArrayList<>();
    try (Stream<RequestRow> all = RequestLogReader.read(dir.file(RunDirectory.REQUESTS_CSV_GZ))) {
      for (RequestRow r : (Iterable<RequestRow>) all::iterator) {
        boolean ok = r.outcome() == OutcomeKind.OK;
        String error = ok ? "" : r.outcome().key()
            + (r.httpStatus() > 0 ? " (HTTP " + r.httpStatus() + ")" : "");
        rows.add(new Row(r.id(), ok, r.promptTokens(), Math.max(0, r.generatedTokens()),
            r.arrivalMs() / 1000, r.queueMs() >= 0 ? r.queueMs() / 1000 : 0.0,
            ok && r.ttftMs() >= 0 ? r.ttftMs() / 1000 : 0.0,
            ok && r.e2eMs() >= 0 ? r.e2eMs() / 1000 : 0.0, error));
      }
    }
    rows.sort(Comparator.comparingLong(Row::id));
    return rows;
  }

  /** Every request's inter-token gaps in nanoseconds, by request id; empty without the file. */
  private static Map<Long, long[]> readItls(RunDirectory dir) {
    Path file = dir.file(LoadgenSettings.ITLS_CSV_GZ);
    Map<Long, long[]> out = new HashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.US_ASCII))) {
      String line = in.readLine(); // header
      while ((line = in.readLine()) != null) {
        int comma = line.indexOf(',');
        try {
          long id = Long.parseLong(line.substring(0, comma));
          String gaps = line.substring(comma + 1);
          out.put(id, gaps.isEmpty() ? new long[0]
              : Arrays.stream(gaps.split(" ")).mapToLong(Long::parseLong).toArray());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
          throw new IllegalStateException("Malformed line in " + file + ": '" + line
              + "' (expected id,gap_ns gap_ns ...)", e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
    return out;
  }

  /**
   * vLLM's peak output rate: each ok request's tokens (the first at start + TTFT, then one per
   * gap) counted in one-second buckets from the earliest start; the fullest bucket.
   */
  private static double peakOutputTokensPerSecond(List<Row> rows, Map<Long, long[]> gapsNs) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Row r : rows) {
      if (r.ok()) {
        min = Math.min(min, r.startS());
        max = Math.max(max, r.startS() + r.e2eS());
      }
    }
    if (min == Double.MAX_VALUE) {
      return 0.0;
    }
    int buckets = (int) Math.ceil(max - min) + 1;
    long[] tokens = new long[buckets];
    for (Row r : rows) {
      if (!r.ok()) {
        continue;
      }
      double t = r.startS() + r.ttftS();
      count(tokens, (int) (t - min));
      for (long g : gapsNs.getOrDefault(r.id(), new long[0])) {
        t += g / 1e9;
        count(tokens, (int) (t - min));
      }
    }
    return Arrays.stream(tokens).max().orElse(0);
  }

  private static void count(long[] buckets, int bucket) {
    if (bucket >= 0 && bucket < buckets.length) {
      buckets[bucket]++;
    }
  }

  /**
   * The most ok requests in flight at once, each from its actual send to its end (half-open,
   * an end before a start at the same instant), as vLLM's sweep counts them.
   */
  private static int peakConcurrency(List<Row> rows) {
    List<double[]> events = new ArrayList<>();
    for (Row r : rows) {
      if (r.ok()) {
        events.add(new double[] {r.startS() + r.queueS(), 1});
        events.add(new double[] {r.startS() + r.e2eS(), -1});
      }
    }
    events.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparingDouble(e -> e[1]));
    int now = 0;
    int peak = 0;
    for (double[] e : events) {
      now += (int) e[1];
      peak = Math.max(peak, now);
    }
    return peak;
  }

  /** vLLM's spelling of a percentile in a key: {@code 99}, {@code 99.5}. */
  public static String percentileWord(double p) {
    return p == Math.rint(p) ? Long.toString((long) p)
        : BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
  }

  private static void stats(Map<String, Object> result, String name, Values v,
      List<Double> percentiles) {
    double[] sorted = v.sorted();
    result.put("mean_" + name + "_ms", mean(sorted));
    result.put("median_" + name + "_ms", percentile(sorted, 50));
    result.put("std_" + name + "_ms", std(sorted));
    for (double p : percentiles) {
      result.put("p" + percentileWord(p) + "_" + name + "_ms", percentile(sorted, p));
    }
  }

  private static void stats(Map<String, Object> result, String name, Histogram micros,
      List<Double> percentiles) {
    boolean empty = micros == null || micros.getTotalCount() == 0;
    result.put("mean_" + name + "_ms", empty ? 0.0 : micros.getMean() / 1000);
    result.put("median_" + name + "_ms", empty ? 0.0 : micros.getValueAtPercentile(50) / 1000.0);
    result.put("std_" + name + "_ms", empty ? 0.0 : micros.getStdDeviation() / 1000);
    for (double p : percentiles) {
      result.put("p" + percentileWord(p) + "_" + name + "_ms",
          empty ? 0.0 : micros.getValueAtPercentile(p) / 1000.0);
    }
  }

  /** The mean as numpy's, 0 for no values (vLLM's {@code np.mean(x or 0)}). */
  static double mean(double[] sorted) {
    if (sorted.length == 0) {
      return 0.0;
    }
    double sum = 0;
    for (double x : sorted) {
      sum += x;
    }
    return sum / sorted.length;
  }

  /** The population standard deviation (numpy's default), 0 for no values. */
  static double std(double[] sorted) {
    if (sorted.length == 0) {
      return 0.0;
    }
    double mean = mean(sorted);
    double sum = 0;
    for (double x : sorted) {
      sum += (x - mean) * (x - mean);
    }
    return Math.sqrt(sum / sorted.length);
  }

  /**
   * numpy's default (linear) percentile of sorted values: the value at rank p/100·(n−1),
   * interpolated between its neighbours; 0 for no values.
   */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0.0;
    }
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }

  /** A growable list of doubles. */
  private static final class Values {
    private double[] values = new double[64];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    double[] sorted() {
      double[] out = Arrays.copyOf(values, size);
      Arrays.sort(out);
      return out;
    }
  }
}
