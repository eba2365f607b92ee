package io.poolbench.reports.rundir;

/**
 * One row of requests.csv.gz, as read back. Times are in milliseconds from the run's start;
 * absent values are -1 (and empty in the file).
 *
 * @param id request number in arrival order
 * @param arrivalMs planned arrival
 * @param pool pool name, or empty when never routed
 * @param instance instance index in the pool, or -1
 * @param category content category, or empty
 * @param maxTokens declared max_tokens, or -1
 * @param httpStatus the status the client saw, 0 for none (transport error, abort)
 * @param queueMs arrival to first scheduling
 * @param ttftMs arrival to first token
 * @param e2eMs arrival to the end
 */
public record RequestRow(long id, double arrivalMs, String pool, int instance, String category,
    int promptTokens, int outputTokens, int maxTokens, OutcomeKind outcome, int httpStatus,
    double queueMs, double ttftMs, double e2eMs, int generatedTokens, int preemptions) {

  /** The CSV header line. */
  public static final String HEADER = "id,arrival_ms,pool,instance,category,prompt_tokens,"
      + "output_tokens,max_tokens,outcome,http_status,queue_ms,ttft_ms,e2e_ms,generated_tokens,"
      + "preemptions";
}
