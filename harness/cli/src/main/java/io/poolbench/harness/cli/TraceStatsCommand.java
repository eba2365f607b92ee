package io.poolbench.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.stats.TokenSummary;
import io.poolbench.traces.stats.TraceStats;
import io.poolbench.traces.stats.TraceStatsCollector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poolbench trace stats}: rows, rates, burstiness and token-length percentiles. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Summarise a trace: rows, rates, burstiness and token lengths.",
    description = {
      "Prints rows, skipped rows, time span, mean rate, peak rates over 1-s and 60-s windows "
          + "aligned to the first arrival, the inter-arrival coefficient of variation, mean and "
          + "nearest-rank p50/p90/p99/max of prompt, output and total tokens, and the fraction "
          + "of requests whose total is at most each threshold. Transform flags apply first.",
      "An empty trace (a header only, or every row skipped) is an error (exit 2)."
    },
    sortOptions = false)
final class TraceStatsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<source>", description = "The trace: a file path, or builtin:<name>[?key=value&...] for a built-in "
          + "workload (azure-conv, azure-code, long-mix, shared-prefix, multi-turn; see docs/traces.md for keys).")
  String source;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Option(names = "--thresholds", paramLabel = "<tokens>", split = ",",
      defaultValue = "2048,4096,8192,16384,32768",
      description = "Total-token thresholds for the fraction of requests at or below each "
          + "(comma-separated; 8K means 8192). Default: ${DEFAULT-VALUE}.")
  List<String> thresholds;

  @Mixin TraceOptions trace;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<Integer> limits = parseThresholds(thresholds);
    TraceSource traceSource = trace.resolve(source);
    TraceStats stats = TraceStatsCollector.of(traceSource, limits);
    if (stats.rows() == 0) {
      throw new BadInputException("Empty trace: " + traceSource.name() + " has no requests"
          + (stats.skippedRows() > 0 ? " (" + stats.skippedRows() + " bad rows skipped)" : ""));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      out.println(mapper.writeValueAsString(toJson(mapper, stats)));
    } else {
      out.print(TraceStatsTable.render(traceSource.name(), stats));
    }
    out.flush();
    return ExitCodes.OK;
  }

  static List<Integer> parseThresholds(List<String> values) {
    List<Integer> limits = new ArrayList<>();
    for (String value : values) {
      String v = value.strip();
      long multiplier = 1;
      if (v.endsWith("K") || v.endsWith("k")) {
        multiplier = 1024;
        v = v.substring(0, v.length() - 1);
      }
      long tokens;
      try {
        tokens = Quantities.longAtLeast(v, 1, "--thresholds");
      } catch (BadInputException e) {
        tokens = -1;
      }
      if (tokens < 1 || tokens * multiplier > Integer.MAX_VALUE) {
        throw new BadInputException("--thresholds value '" + value + "' is not a token count "
            + "like 2048, 2_048 or 2K (>= 1)");
      }
      limits.add((int) (tokens * multiplier));
    }
    return limits;
  }

  static ObjectNode toJson(ObjectMapper mapper, TraceStats stats) {
    ObjectNode node = mapper.createObjectNode();
    node.put("rows", stats.rows());
    node.put("skipped_rows", stats.skippedRows());
    putNumber(node, "span_s", stats.spanSeconds());
    putNumber(node, "mean_rate_rps", stats.meanRateRps());
    putNumber(node, "peak_rate_1s", stats.peakRate1s());
    putNumber(node, "peak_rate_60s", stats.peakRate60s());
    putNumber(node, "interarrival_cv", stats.interarrivalCv());
    tokens(node.putObject("prompt_tokens"), stats.promptTokens());
    tokens(node.putObject("output_tokens"), stats.outputTokens());
    tokens(node.putObject("total_tokens"), stats.totalTokens());
    ObjectNode fractions = node.putObject("fraction_total_le");
    stats.fractionTotalLe().forEach((k, v) -> putNumber(fractions, Integer.toString(k), v));
    if (stats.prefixReuse() != null) {
      ObjectNode reuse = node.putObject("prefix_reuse");
      reuse(reuse, stats.prefixReuse());
      ObjectNode cats = reuse.putObject("categories");
      stats.prefixReuseByCategory().forEach((k, v) -> reuse(cats.putObject(k), v));
    }
    return node;
  }

  private static void reuse(ObjectNode node, TraceStats.PrefixReuse r) {
    node.put("requests", r.requests());
    node.put("blocks", r.blocks());
    node.put("reused_blocks", r.reused());
    putNumber(node, "share", r.share());
  }

  private static void tokens(ObjectNode node, TokenSummary summary) {
    putNumber(node, "mean", summary.mean());
    node.put("p50", summary.p50());
    node.put("p90", summary.p90());
    node.put("p99", summary.p99());
    node.put("max", summary.max());
  }

  private static void putNumber(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }
}
