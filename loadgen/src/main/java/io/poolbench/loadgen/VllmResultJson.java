package io.poolbench.loadgen;

import io.poolbench.reports.rundir.LatencyMetric;
import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RequestLogReader;
import io.poolbench.reports.rundir.RequestRow;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Writes a run directory in the layout of {@code vllm bench serve --save-result}, so that tools
 * built for vLLM's benchmark can read poolbench runs: the top-level counts and throughputs, and
 * {@code mean_/median_/std_/p<N>_<metric>_ms} for ttft, tpot, itl and e2el, plus the per-request
 * arrays input_lens, output_lens, ttfts and errors read back from requests.csv.gz.
 *
 * <p>Differences, stated in the file's {@code poolbench_note}: latencies count from each
 * request's planned send time (vLLM's count from the actual send); percentiles come from
 * HdrHistograms with 3 significant digits (vLLM interpolates with numpy); {@code itls} and
 * {@code generated_texts} are empty lists per request (poolbench keeps inter-token gaps in
 * histograms, not per request).
 */
public final class VllmResultJson {

  private VllmResultJson() {}

  /**
   * Writes {@code out} from the run directory {@code dir}.
   *
   * @param meta what vLLM writes from its flags: backend, model_id, tokenizer_id, request_rate,
   *     burstiness, max_concurrency
   * @param percentiles the percentiles to write as {@code p<N>_<metric>_ms}
   */
  public static void write(RunDirectory dir, Path out, Map<String, Object> meta, List<Double> percentiles) {
    Summary summary = dir.readSummary();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("date", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    result.putAll(meta);
    result.put("num_prompts", summary.requests().total());
    result.put("duration", summary.durationS());
    result.put("completed", summary.requests().ok());
    result.put("failed", summary.requests().total() - summary.requests().ok());

    List<Integer> inputLens = new ArrayList<>();
    List<Integer> outputLens = new ArrayList<>();
    List<Double> ttfts = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<List<Double>> itls = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    DoubleHistogram ttft = new DoubleHistogram(3);
    DoubleHistogram tpot = new DoubleHistogram(3);
    DoubleHistogram e2e = new DoubleHistogram(3);
    long totalInput = 0;
    long totalOutput = 0;
    try (Stream<RequestRow> rows = RequestLogReader.read(dir.file(RunDirectory.REQUESTS_CSV_GZ))) {
      for (RequestRow r : (Iterable<RequestRow>) rows::iterator) {
        boolean ok = r.outcome() == OutcomeKind.OK;
        inputLens.add(r.promptTokens());
        outputLens.add(ok ? r.generatedTokens() : 0);
        ttfts.add(ok && r.ttftMs() >= 0 ? r.ttftMs() / 1000 : 0.0);
        errors.add(ok ? "" : r.outcome().key() + (r.httpStatus() > 0 ? " (HTTP " + r.httpStatus() + ")" : ""));
        itls.add(List.of());
        texts.add("");
        if (ok) {
          totalInput += r.promptTokens();
          totalOutput += r.generatedTokens();
          if (r.ttftMs() >= 0) {
            ttft.recordValue(Math.max(r.ttftMs(), 1e-3));
          }
          e2e.recordValue(Math.max(r.e2eMs(), 1e-3));
          if (r.generatedTokens() > 1 && r.ttftMs() >= 0) {
            tpot.recordValue(Math.max((r.e2eMs() - r.ttftMs()) / (r.generatedTokens() - 1), 1e-3));
          }
        }
      }
    }
    double seconds = Math.max(summary.durationS(), 1e-9);
    result.put("total_input_tokens", totalInput);
    result.put("total_output_tokens", totalOutput);
    result.put("request_throughput", summary.requests().ok() / seconds);
    result.put("request_goodput", summary.goodputRps());
    result.put("output_throughput", totalOutput / seconds);
    result.put("total_token_throughput", (totalInput + totalOutput) / seconds);
    result.put("input_lens", inputLens);
    result.put("output_lens", outputLens);
    result.put("ttfts", ttfts);
    result.put("itls", itls);
    result.put("generated_texts", texts);
    result.put("errors", errors);
    metric(result, "ttft", ttft, percentiles);
    metric(result, "tpot", tpot, percentiles);
    metric(result, "itl", itlMillis(dir), percentiles);
    metric(result, "e2el", e2e, percentiles);
    result.put("poolbench_note", "Written by poolbench from a run directory: latencies count from each "
        + "request's planned send time (no coordinated omission); percentiles from HdrHistograms "
        + "(3 significant digits); itls and generated_texts are not kept per request.");
    try {
      RunDirectory.mapper().writeValue(out.toFile(), result);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + out, e);
    }
  }

  private static void metric(Map<String, Object> result, String name, DoubleHistogram h,
      List<Double> percentiles) {
    boolean empty = h.getTotalCount() == 0;
    result.put("mean_" + name + "_ms", empty ? 0 : h.getMean());
    result.put("median_" + name + "_ms", empty ? 0 : h.getValueAtPercentile(50));
    result.put("std_" + name + "_ms", empty ? 0 : h.getStdDeviation());
    for (double p : percentiles) {
      String word = p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p);
      result.put("p" + word + "_" + name + "_ms", empty ? 0 : h.getValueAtPercentile(p));
    }
  }

  /** Inter-token gaps in ms, from every ITL interval of latency.hlog (microseconds there). */
  private static DoubleHistogram itlMillis(RunDirectory dir) {
    DoubleHistogram ms = new DoubleHistogram(3);
    Path hlog = dir.file(RunDirectory.LATENCY_HLOG);
    if (!Files.exists(hlog)) {
      return ms;
    }
    try (FileInputStream in = new FileInputStream(hlog.toFile())) {
      HistogramLogReader reader = new HistogramLogReader(in);
      Histogram total = null;
      for (var h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
        if (LatencyMetric.ITL.tag().equals(h.getTag()) && h instanceof Histogram micros) {
          if (total == null) {
            total = micros.copy();
          } else {
            total.add(micros);
          }
        }
      }
      if (total != null) {
        for (var v : total.recordedValues()) {
          ms.recordValueWithCount(Math.max(v.getValueIteratedTo() / 1000.0, 1e-3), v.getCountAtValueIteratedTo());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + hlog, e);
    }
    return ms;
  }
}
