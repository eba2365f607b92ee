package io.poolbench.loadgen.http;

import io.poolbench.loadgen.sse.StreamResult;

/**
 * The raw facts of one HTTP exchange with an OpenAI-compatible server, before they are classified
 * into an outcome. Times are {@link System#nanoTime()} readings.
 *
 * @param status HTTP status, or 0 when no response arrived
 * @param pool the {@code x-poolbench-pool} response header, or null
 * @param endpoint the {@code x-poolbench-endpoint} response header, or null
 * @param sentNanos when the request was handed to the connection
 * @param headersNanos when the response head arrived (0: never)
 * @param endNanos when the exchange ended (body complete, failure or timeout)
 * @param stream what the event stream showed, or null for a non-streamed body
 * @param body what a non-streamed body showed, or null for a stream
 * @param transportError the failure (exception class and message) when no complete response was
 *     received, or null
 * @param timedOut true when the exchange was abandoned by a timeout
 */
public record ExchangeResult(
    int status,
    String pool,
    String endpoint,
    long sentNanos,
    long headersNanos,
    long endNanos,
    StreamResult stream,
    BodyResult body,
    String transportError,
    boolean timedOut) {

  /** Prompt tokens the server reported in {@code usage}, or -1. */
  public int promptTokens() {
    return stream != null ? stream.promptTokens() : body != null ? body.promptTokens() : -1;
  }

  /** Prompt tokens the server found in its prefix cache ({@code usage}), or -1. */
  public int cachedTokens() {
    return stream != null ? stream.cachedTokens() : body != null ? body.cachedTokens() : -1;
  }

  /** Completion tokens the server reported in {@code usage}, or -1. */
  public int completionTokens() {
    return stream != null ? stream.completionTokens() : body != null ? body.completionTokens() : -1;
  }

  /** The error message the server sent (envelope or in-stream event), or null. */
  public String errorMessage() {
    return stream != null ? stream.errorMessage() : body != null ? body.errorMessage() : null;
  }
}
