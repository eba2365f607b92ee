package io.poolbench.loadgen.metrics;

import io.poolbench.router.server.signal.MetricSample;
import io.poolbench.router.server.signal.PrometheusFormatException;
import io.poolbench.router.server.signal.PrometheusTextParser;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Chosen sample values of an engine's Prometheus text page, each metric summed over its label
 * sets (one vLLM server may report several engines). Parsing is the router's
 * {@link PrometheusTextParser}, the one the router's load signals use, so a page is read the same
 * way by both.
 */
public final class PromTextValues {

  private PromTextValues() {}

  /**
   * The sum over label sets of every sample named in {@code names}; names with no sample are
   * absent from the result.
   *
   * @throws PrometheusFormatException when the page is not Prometheus text (it names the line)
   */
  public static Map<String, Double> sums(String text, Set<String> names) {
    Map<String, Double> sums = new HashMap<>();
    for (MetricSample s : PrometheusTextParser.parse(text, names)) {
      sums.merge(s.name(), s.value(), Double::sum);
    }
    return sums;
  }
}
