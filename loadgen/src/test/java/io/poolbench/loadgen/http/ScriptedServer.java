package io.poolbench.loadgen.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A loopback HTTP/1.1 server for client tests that plays a fixed script per connection: pieces
 * of raw response bytes with pauses between them, then closes the socket. Lets a test produce
 * what a well-behaved server never would (a reset mid-stream, a stall).
 */
final class ScriptedServer implements AutoCloseable {

  /** One step: bytes to write, then a pause. */
  record Step(String bytes, long pauseMillis) {}

  private final ServerSocket socket;
  private final Thread acceptor;

  ScriptedServer(List<Step> script) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(() -> {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          Thread.ofVirtual().start(() -> play(s, script));
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
  }

  private static void play(Socket s, List<Step> script) {
    try (s) {
      readRequest(s.getInputStream());
      OutputStream out = s.getOutputStream();
      for (Step step : script) {
        out.write(step.bytes().getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (step.pauseMillis() > 0) {
          Thread.sleep(step.pauseMillis());
        }
      }
    } catch (IOException | InterruptedException ignored) {
      // the client went away: nothing to play to
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) { // the blank line that ends the request head
      int b = in.read();
      if (b < 0) {
        return;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    int at = text.indexOf("content-length:");
    if (at >= 0) {
      int end = text.indexOf('\r', at);
      int length = Integer.parseInt(text.substring(at + 15, end).strip());
      in.readNBytes(length);
    }
  }

  /** A chunk of a chunked transfer encoding. */
  static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
  }

  @Override
  public void close() throws IOException {
    socket.close();
    acceptor.interrupt();
  }
}
