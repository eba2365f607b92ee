package io.poolbench.reports.rundir;

import java.util.Locale;

/** How one request ended; every arrival ends in exactly one of these. */
public enum OutcomeKind {
  /** Completed with HTTP 200 and all its tokens. */
  OK,
  /** HTTP 400: prompt or prompt + max_tokens beyond the instance's max_model_len. */
  REJECTED_CONTEXT,
  /** HTTP 503 (queue cap) or 429: the server shed the request. */
  REJECTED_OVERLOAD,
  /** HTTP 500 or a broken stream because the engine died (CUDA OOM, crash, injected fault). */
  ENGINE_FAILURE,
  /** The client gave up waiting and aborted the request. */
  TIMEOUT,
  /** Any other 4xx. */
  CLIENT_ERROR,
  /** Connection refused or reset, e.g. while an instance restarts. */
  TRANSPORT_ERROR,
  /** Planned but never sent (the run ended first, or no pool could take it). */
  NOT_SENT;

  private final String key = name().toLowerCase(Locale.ROOT);

  /** The snake_case key used in summary.json and requests.csv.gz. */
  public String key() {
    return key;
  }

  /** The kind whose {@link #key()} is {@code key}. */
  public static OutcomeKind ofKey(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }
}
