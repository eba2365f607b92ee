package io.poolbench.harness.sim.calibrate;

/**
 * One {@code ok} request of a measured run, as the replay needs it.
 *
 * @param id request number in the run
 * @param arrivalNanos planned arrival from the run's start
 * @param pool pool name in the run (a target label for a loadgen run)
 * @param instance instance column of the run: index in the pool (simulator), or target index
 *     (loadgen)
 * @param promptTokens prompt tokens
 * @param generatedTokens tokens the engine generated: the replay's output target
 * @param maxTokens declared max_tokens, or -1
 * @param ttftNanos measured arrival to first token
 * @param e2eNanos measured arrival to the end
 */
public record RecordedRequest(long id, long arrivalNanos, String pool, int instance,
    int promptTokens, int generatedTokens, int maxTokens, long ttftNanos, long e2eNanos) {

  /** Measured time per output token after the first, or NaN with fewer than two tokens. */
  public double tpotNanos() {
    return generatedTokens < 2 ? Double.NaN
        : (double) (e2eNanos - ttftNanos) / (generatedTokens - 1);
  }
}
