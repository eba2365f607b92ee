package io.poolbench.harness.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * An upstream that streams one fixed SSE byte sequence in awkward pieces (an event split across
 * writes, a multi-byte character split across writes, several events in one write, a comment
 * line), adding a usage chunk only when the request asks for it, as vLLM does.
 */
final class FixedSseServer implements AutoCloseable {

  static final List<String> PIECES = List.of(
      "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" Hel",
      "lo\",\"finish_reason\":null}],\"usage\":null}\n\n",
      ": keep-alive\n\ndata: {\"id\":\"cmpl-1\",\"choices\":[{\"index\":0,\"text\":\" caf\u00e9 \u6f22",
      "\u5b57\",\"finish_reason\":null}],\"usage\":null}\n\ndata: {\"id\":\"cmpl-1\",\"choices\":"
          + "[{\"index\":0,\"text\":\"!\",\"finish_reason\":\"length\"}],\"usage\":null}\n",
      "\n");
  static final String USAGE = "data: {\"id\":\"cmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\""
      + ":321,\"total_tokens\":324,\"completion_tokens\":3}}\n\n";
  static final String DONE = "data: [DONE]\n\n";

  private final HttpServer server;

  FixedSseServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/v1/completions", this::handle);
    server.createContext("/health", x -> {
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    boolean usage = body.contains("\"include_usage\":true");
    x.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
    x.sendResponseHeaders(200, 0);
    try (OutputStream out = x.getResponseBody()) {
      byte[] all = String.join("", PIECES).getBytes(StandardCharsets.UTF_8);
      int[] cuts = cuts();
      int from = 0;
      for (int cut : cuts) {
        out.write(all, from, cut - from);
        out.flush();
        from = cut;
        pause();
      }
      out.write(all, from, all.length - from);
      if (usage) {
        out.write(USAGE.getBytes(StandardCharsets.UTF_8));
        out.flush();
        pause();
      }
      out.write(DONE.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Byte offsets of the piece boundaries, with the multi-byte character cut in the middle. */
  private static int[] cuts() {
    int[] out = new int[PIECES.size() - 1];
    int at = 0;
    for (int i = 0; i < out.length; i++) {
      at += PIECES.get(i).getBytes(StandardCharsets.UTF_8).length;
      out[i] = at;
    }
    out[2] -= 1; // splits the 3-byte U+5B57 after 2 bytes
    return out;
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
