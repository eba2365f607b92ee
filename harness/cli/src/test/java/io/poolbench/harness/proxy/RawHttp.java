package io.poolbench.harness.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A raw HTTP/1.1 exchange over a socket: exact bytes, no client-side normalization. */
final class RawHttp implements AutoCloseable {

  final Socket socket;
  final InputStream in;
  final OutputStream out;

  RawHttp(String baseUrl) {
    try {
      URI u = URI.create(baseUrl);
      socket = new Socket(u.getHost(), u.getPort());
      socket.setSoTimeout(20_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a POST with {@code body} and {@code extraHeaders} (full header lines with CRLF). */
  RawHttp post(String path, byte[] body, String extraHeaders) {
    try {
      String head = "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n" + extraHeaders + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until {@code marker} appears or the connection ends; returns everything read. */
  String readUntil(String marker) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      while (true) {
        int n = in.read(chunk);
        if (n < 0) {
          break;
        }
        buf.write(chunk, 0, n);
        if (buf.toString(StandardCharsets.UTF_8).contains(marker)) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      return buf.toString(StandardCharsets.UTF_8) + "<<timeout>>";
    } catch (IOException e) {
      return buf.toString(StandardCharsets.UTF_8) + "<<" + e.getMessage() + ">>";
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
