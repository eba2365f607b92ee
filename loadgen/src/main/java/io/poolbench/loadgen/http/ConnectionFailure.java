package io.poolbench.loadgen.http;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/**
 * Names a failure to reach an endpoint in words an operator can act on ("connection refused:
 * http://127.0.0.1:9/v1/models (is the server running?)") instead of the exception's message,
 * which for a refused connection is often null.
 */
public final class ConnectionFailure {

  private ConnectionFailure() {}

  /** True when {@code t} (or a cause) says the endpoint could not be reached at all. */
  public static boolean isUnreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException
          || c instanceof UnresolvedAddressException || c instanceof NoRouteToHostException
          || c instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** What went wrong reaching {@code uri}, in one line. */
  public static String describe(URI uri, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof HttpConnectTimeoutException) {
        return "connection timed out: " + uri + " (is the host up and the port open?)";
      }
      if (c instanceof NoRouteToHostException) {
        return "no route to host: " + uri + " (is the address right?)";
      }
      if (c instanceof ConnectException) {
        String m = c.getMessage();
        if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
          return "connection timed out: " + uri + " (is the host up and the port open?)";
        }
        return "connection refused: " + uri + " (is the server running?)";
      }
      if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
        return "unknown host: " + uri + " (is the name right?)";
      }
      if (c instanceof SocketTimeoutException || c instanceof TimeoutException) {
        return "no answer in time: " + uri;
      }
    }
    String m = t == null ? null : t.getMessage();
    return "could not reach " + uri + " (" + (t == null ? "unknown failure"
        : t.getClass().getSimpleName() + (m == null ? "" : ": " + m)) + ")";
  }
}
