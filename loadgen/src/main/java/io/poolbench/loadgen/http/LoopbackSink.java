package io.poolbench.loadgen.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throwaway OpenAI-style endpoint inside the load generator's own process, on an ephemeral
 * loopback port, that answers every request at once with a canned answer: a stream of content
 * chunks with usage and {@code [DONE]}, or one JSON body. The load generator sends a few thousand
 * exchanges to it before its start, so that the whole exchange path (the client's execution
 * chain and pool, request production, response parsing, the completion callbacks) is compiled by
 * the JIT before the first planned row instead of during the run's first seconds, and without
 * sending anything to the target.
 */
public final class LoopbackSink implements Closeable {

  private final HttpServer server;
  private final ExecutorService workers;
  private final boolean stream;
  private final byte[] canned;
  private final AtomicLong answered = new AtomicLong();

  /**
   * @param chat true for chat-completion chunks ({@code delta.content}), false for completions
   *     ({@code text})
   * @param stream true to answer with a stream, false with one JSON body
   * @param chunks content chunks per answer
   */
  public LoopbackSink(boolean chat, boolean stream, int chunks) throws IOException {
    this.stream = stream;
    this.canned = stream ? stream(chat, chunks) : body(chat, chunks);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    this.workers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "poolbench-loopback-sink");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(workers);
    server.createContext("/", this::answer);
    server.start();
  }

  /** The sink's URI for {@code path} (such as {@code /v1/completions}). */
  public URI uri(String path) {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort() + path);
  }

  /** Requests answered so far. */
  public long answered() {
    return answered.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      exchange.getResponseHeaders().set("Content-Type",
          stream ? "text/event-stream; charset=utf-8" : "application/json");
      // chunked when streaming, as a streaming server sends it; a length otherwise
      exchange.sendResponseHeaders(200, stream ? 0 : canned.length);
      // counted before the answer goes out, so that a client that has read it sees it counted
      answered.incrementAndGet();
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(canned);
      }
    }
  }

  private static byte[] stream(boolean chat, int chunks) {
    String piece = chat
        ? "{\"id\":\"chatcmpl-warm\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"warm\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" warm\"},\"logprobs\":null,"
            + "\"finish_reason\":null}]}"
        : "{\"id\":\"cmpl-warm\",\"object\":\"text_completion\",\"created\":1,\"model\":\"warm\","
            + "\"choices\":[{\"index\":0,\"text\":\" warm\",\"logprobs\":null,\"finish_reason\":null,"
            + "\"stop_reason\":null}],\"usage\":null}";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int c = 0; c < chunks; c++) {
      out.writeBytes(("data: " + piece + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("data: {\"id\":\"warm\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
        + "\",\"created\":1,\"model\":\"warm\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,"
        + "\"total_tokens\":" + (8 + chunks) + ",\"completion_tokens\":" + chunks
        + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] body(boolean chat, int chunks) {
    String text = " warm".repeat(chunks);
    String choice = chat
        ? "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
            + "\"logprobs\":null,\"finish_reason\":\"length\"}"
        : "{\"index\":0,\"text\":\"" + text + "\",\"logprobs\":null,\"finish_reason\":\"length\"}";
    return ("{\"id\":\"warm\",\"object\":\"" + (chat ? "chat.completion" : "text_completion")
        + "\",\"created\":1,\"model\":\"warm\",\"choices\":[" + choice + "],\"usage\":{"
        + "\"prompt_tokens\":8,\"total_tokens\":" + (8 + chunks) + ",\"completion_tokens\":"
        + chunks + "}}").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
