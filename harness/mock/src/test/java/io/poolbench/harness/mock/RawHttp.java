package io.poolbench.harness.mock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw HTTP/1.1 exchange over a socket, for tests that cut connections or read partial data. */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  RawHttp(int port, String path, String json) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(20_000);
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
          + "application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until {@code marker} was received; returns everything received so far. */
  String readUntil(String marker) {
    byte[] buf = new byte[4096];
    try {
      while (!received.toString(StandardCharsets.UTF_8).contains(marker)) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        received.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /** The body received so far with the chunked transfer framing removed. */
  String body() {
    String all = received.toString(StandardCharsets.UTF_8);
    int at = all.indexOf("\r\n\r\n");
    StringBuilder out = new StringBuilder();
    int i = at + 4;
    while (at >= 0 && i < all.length()) {
      int eol = all.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(all.substring(i, eol).strip(), 16);
      int start = eol + 2;
      out.append(all, start, Math.min(all.length(), start + size));
      i = start + size + 2;
    }
    return out.toString();
  }

  /** Reads until the server closes the connection or {@code marker} arrives. */
  String readToEndOr(String marker) {
    return readUntil(marker);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when a TCP connection to the port is refused. */
  static boolean refused(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
