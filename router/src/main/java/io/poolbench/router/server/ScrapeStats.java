package io.poolbench.router.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * Outcomes of one endpoint's {@code /metrics} scrapes: successes, failures and the last
 * failure's reason. A failing scrape is only counted; it never ejects the endpoint. Thread-safe.
 */
public final class ScrapeStats {

  private final LongAdder ok = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private volatile String lastFailure;

  void ok() {
    ok.increment();
  }

  void failed(String why) {
    failed.increment();
    lastFailure = why;
  }

  /** Scrapes that produced a signal. */
  public long successes() {
    return ok.sum();
  }

  /** Scrapes that failed (connect, timeout, HTTP status, a page that is not vLLM's). */
  public long failures() {
    return failed.sum();
  }

  /** The reason of the last failed scrape, or null. */
  public String lastFailure() {
    return lastFailure;
  }
}
