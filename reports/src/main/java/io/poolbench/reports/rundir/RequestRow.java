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
 * @param cachedTokens prompt tokens found in the engine's prefix cache, or -1 when unknown (a
 *     live run against a server that does not report {@code prompt_tokens_details}, a request
 *     never scheduled, or a run directory written before the column existed)
 */
public record RequestRow(long id, double arrivalMs, String pool, int instance, String category,
    int promptTokens, int outputTokens, int maxTokens, OutcomeKind outcome, int httpStatus,
    double queueMs, double ttftMs, double e2eMs, int generatedTokens, int preemptions,
    int cachedTokens) {

  /** The header of run directories written before {@code cached_tokens} (still read). */
  public static final String HEADER_WITHOUT_CACHED = "id,arrival_ms,pool,instance,category,"
      + "prompt_tokens,output_tokens,max_tokens,outcome,http_status,queue_ms,ttft_ms,e2e_ms,"
      + "generated_tokens,preemptions";

  /** The CSV header line. */
  public static final String HEADER = HEADER_WITHOUT_CACHED + ",cached_tokens";

  /** A row without a cached-token count. */
  public RequestRow(long id, double arrivalMs, String pool, int instance, String category,
      int promptTokens, int outputTokens, int maxTokens, OutcomeKind outcome, int httpStatus,
      double queueMs, double ttftMs, double e2eMs, int generatedTokens, int preemptions) {
    this(id, arrivalMs, pool, instance, category, promptTokens, outputTokens, maxTokens, outcome,
        httpStatus, queueMs, ttftMs, e2eMs, generatedTokens, preemptions, -1);
  }

  /** The number of columns a file with {@code header} has, or -1 for an unknown header. */
  public static int columns(String header) {
    return HEADER.equals(header) ? 16 : HEADER_WITHOUT_CACHED.equals(header) ? 15 : -1;
  }
}
