package io.poolbench.router.server.signal;

/** A Prometheus text page that breaks the exposition format; the message names the line. */
public final class PrometheusFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  PrometheusFormatException(int line, String message) {
    super("line " + line + ": " + message);
  }
}
