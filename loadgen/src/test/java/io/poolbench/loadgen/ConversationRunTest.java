package io.poolbench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.TokenizerKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-turn session over real HTTP: each later turn's prompt holds the answers the server gave
 * the turns before it, for completions (streamed) and chat (not streamed) alike. The server
 * answers every request with text naming the request, and keeps the bodies it received.
 */
class ConversationRunTest {

  private static final PromptSynthesizer PROMPTS = new PromptSynthesizer(TokenizerKind.CL100K_BASE, 1);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger served = new AtomicInteger();
  /** Received bodies by the planned row they came from (its prompt length is unique here). */
  private final Map<Integer, JsonNode> bodies = new ConcurrentSkipListMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/completions", this::answer);
    server.createContext("/v1/chat/completions", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    int n = served.incrementAndGet();
    bodies.put(n, body);
    String name = "Answer" + n + " ";
    if (body.path("stream").asBoolean()) {
      exchange.getResponseHeaders().add("content-type", "text/event-stream; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (String piece : List.of(name, "says", " hi.")) {
          out.write(("data: {\"choices\":[{\"index\":0,\"text\":" + JSON.writeValueAsString(piece)
              + ",\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        out.write(("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":3,"
            + "\"total_tokens\":23}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    byte[] out = ("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + JSON.writeValueAsString(name + "says hi.") + "},\"finish_reason\":\"length\"}],"
        + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":3,\"total_tokens\":23}}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(200, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  /** One session of three turns 400 ms apart, ids covering every prompt block. */
  private static TraceSource session() {
    return new TraceSource() {
      @Override
      public String name() {
        return "session";
      }

      @Override
      public Stream<TraceRequest> open() {
        return Stream.of(row(0, 600, 3, 11, 12), row(400, 900, 3, 11, 12),
            row(800, 1300, 3, 11, 12, 13));
      }
    };
  }

  private static TraceRequest row(long atMillis, int prompt, int output, long... ids) {
    return new TraceRequest(atMillis * 1_000_000, prompt, output, null,
        TraceRequest.NO_MAX_TOKENS, ids, false, 0, "session", 1);
  }

  private LoadRun.Result run(Api api, boolean stream, boolean actual) {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    LoadgenSettings settings = new LoadgenSettings(List.of(target), List.of(), Map.of(), api, "m",
        stream, true, 0, Duration.ofSeconds(2), Duration.ofSeconds(5), new Summary.Slo(2000, 100),
        null, 1, Duration.ofSeconds(1), Duration.ZERO, 0, 1, 16, Duration.ZERO)
        .withActualAnswers(actual);
    RequestFactory factory = new RequestFactory(api, "m", stream, true, ContentCategory.PROSE,
        PROMPTS);
    return new LoadRun(settings, session(), factory, RunDirectory.create(dir.resolve(
        api + "-" + stream + "-" + actual)),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
  }

  @Test
  @SuppressWarnings("unchecked")
  void completions_laterTurnsCarryTheStreamedAnswers() {
    LoadRun.Result result = run(Api.COMPLETIONS, true, true);
    assertThat(result.summary().requests().ok()).isEqualTo(3);
    String p1 = bodies.get(1).get("prompt").asText();
    String p2 = bodies.get(2).get("prompt").asText();
    String p3 = bodies.get(3).get("prompt").asText();
    assertThat(p2).startsWith(p1 + "Answer1 says hi.");
    assertThat(p3).startsWith(p2 + "Answer2 says hi.");
    // the new text of turn 2 has the planned 900 - (600 + 3) tokens
    assertThat(PROMPTS.countTokens(p2.substring((p1 + "Answer1 says hi.").length())))
        .isEqualTo(900 - 603);
    Map<String, Object> c = (Map<String, Object>) result.client().get("conversations");
    assertThat(c).containsEntry("continuations", 2L).containsEntry("with_actual_answer", 2L);
  }

  @Test
  void chat_laterTurnsAreAlternatingMessages() {
    run(Api.CHAT, false, true);
    JsonNode m3 = bodies.get(3).get("messages");
    assertThat(m3).hasSize(5);
    assertThat(m3.get(0).get("role").asText()).isEqualTo("user");
    assertThat(m3.get(1).get("role").asText()).isEqualTo("assistant");
    assertThat(m3.get(1).get("content").asText()).isEqualTo("Answer1 says hi.");
    assertThat(m3.get(2).get("role").asText()).isEqualTo("user");
    assertThat(m3.get(3).get("content").asText()).isEqualTo("Answer2 says hi.");
    assertThat(m3.get(0).get("content").asText())
        .isEqualTo(bodies.get(1).get("messages").get(0).get("content").asText());
    // three messages' contents plus the template for five messages make turn 3's 1,300 tokens,
    // up to the answers' own length against the 3 planned tokens each
    int total = PROMPTS.countChatPromptTokens(List.of(m3.get(0).get("content").asText(),
        m3.get(1).get("content").asText(), m3.get(2).get("content").asText(),
        m3.get(3).get("content").asText(), m3.get(4).get("content").asText()));
    int answersOff = 2 * (PROMPTS.countTokens("Answer1 says hi.") - 3);
    assertThat(total).isEqualTo(1300 + answersOff);
  }

  @Test
  @SuppressWarnings("unchecked")
  void synthesized_keepsEveryPromptAsTheTraceMakesIt() {
    LoadRun.Result result = run(Api.COMPLETIONS, true, false);
    assertThat(result.client().get("conversations")).isNull();
    for (JsonNode b : bodies.values()) {
      assertThat(b.get("prompt").asText()).doesNotContain("Answer");
    }
    assertThat(PROMPTS.countTokens(bodies.get(2).get("prompt").asText())).isEqualTo(900);
  }
}
