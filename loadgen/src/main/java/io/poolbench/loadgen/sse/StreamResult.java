package io.poolbench.loadgen.sse;

/**
 * What one streamed response showed.
 *
 * @param done the stream ended with {@code data: [DONE]}
 * @param cutOffMidEvent bytes of an unfinished event were left when the body ended
 * @param contentChunks chunks that carried text
 * @param firstContentNanos {@link System#nanoTime()} when the first content chunk arrived (0: none)
 * @param lastContentNanos when the last content chunk arrived (0: none)
 * @param promptTokens {@code usage.prompt_tokens}, or -1 when no usage was sent
 * @param completionTokens {@code usage.completion_tokens}, or -1 when no usage was sent
 * @param finishReason the last non-null {@code finish_reason}, or null
 * @param errorMessage the message of an in-stream error event, or null
 * @param errorCode the code of that error (0 when absent)
 * @param malformedEvents events whose data was neither JSON nor {@code [DONE]}
 * @param eventsAfterDone true when events followed {@code [DONE]}
 * @param comments comment lines seen (keep-alives)
 * @param cachedTokens {@code usage.prompt_tokens_details.cached_tokens}, or -1 when not sent
 *     (vLLM sends it only with {@code --enable-prompt-tokens-details})
 */
public record StreamResult(
    boolean done,
    boolean cutOffMidEvent,
    int contentChunks,
    long firstContentNanos,
    long lastContentNanos,
    int promptTokens,
    int completionTokens,
    String finishReason,
    String errorMessage,
    int errorCode,
    int malformedEvents,
    boolean eventsAfterDone,
    long comments,
    int cachedTokens) {

  /** A result without a cached-token count. */
  public StreamResult(boolean done, boolean cutOffMidEvent, int contentChunks,
      long firstContentNanos, long lastContentNanos, int promptTokens, int completionTokens,
      String finishReason, String errorMessage, int errorCode, int malformedEvents,
      boolean eventsAfterDone, long comments) {
    this(done, cutOffMidEvent, contentChunks, firstContentNanos, lastContentNanos, promptTokens,
        completionTokens, finishReason, errorMessage, errorCode, malformedEvents, eventsAfterDone,
        comments, -1);
  }

  /** True when the server reported an error inside the stream. */
  public boolean hasError() {
    return errorMessage != null;
  }

  /** True when the stream ended cleanly: {@code [DONE]}, no error. */
  public boolean completed() {
    return done && !hasError();
  }
}
