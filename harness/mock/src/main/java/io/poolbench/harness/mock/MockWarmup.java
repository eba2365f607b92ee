package io.poolbench.harness.mock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolbench.harness.perf.AffinePerfModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Warms a mock process up before it serves, as vLLM warms its engine before it reports ready:
 * a scratch instance of the first spec, on its own ephemeral port, answers a few dozen requests
 * over loopback (completions and chat, streamed and not, prompts of 64 tokens to a few thousand,
 * 0.1 ms engine steps), then closes. The code that runs cold in the first seconds (tokenizer, body parse, engine steps,
 * SSE encoding, the event loops) is compiled by then, so the first measured requests do not pay
 * for it; the served instances' caches, counters and metrics are untouched.
 */
final class MockWarmup {
  private static final int REQUESTS = 32;
  private static final int[] PROMPT_TOKENS = {64, 512, 2048, 4096};

  private static final String[] WORDS = {"the", "engine", "schedules", "requests", "in",
      "batches", "of", "tokens,", "and", "each", "step", "computes", "one", "token", "for",
      "every", "running", "sequence.", "Prefill", "fills", "its", "KV", "cache", "blocks;",
      "decode", "reads", "them", "back", "42", "times", "per", "second\n"};

  private MockWarmup() {}

  /** Prose-like text of about {@code tokens} tokens (a word and its space are about one). */
  private static String text(int tokens, int salt) {
    StringBuilder sb = new StringBuilder(tokens * 6);
    for (int w = 0; w < tokens; w++) {
      sb.append(WORDS[(w * 7 + salt) % WORDS.length]).append(w % 13 == 0 ? " " + w + " " : " ");
    }
    return sb.toString();
  }

  /** Runs the warm-up; returns how many requests the scratch instance answered with 200. */
  static int run(MockServer server, InstanceSpec template, long seed, Duration budget) {
    // the engine's own step times would make the warm-up last seconds of model time: 0.1 ms
    // steps run the same scheduler, driver and streaming code in a fraction of that
    InstanceSpec spec = new InstanceSpec(template.pool(), template.indexInPool(),
        template.modelName(), template.engine(), new AffinePerfModel(100_000L, 0L, 8192), 0);
    MockInstance scratch = new MockInstance(server, spec, seed);
    scratch.start();
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(budget).build();
      ObjectMapper json = new ObjectMapper();
      int maxPrompt = Math.max(1, spec.engine().maxModelLen() - 8);
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        boolean chat = i % 2 == 1;
        boolean stream = (i / 2) % 2 == 0;
        int tokens = Math.min(maxPrompt / (chat ? 2 : 1), PROMPT_TOKENS[i % PROMPT_TOKENS.length]);
        String text = text(Math.max(1, tokens), i);
        ObjectNode body = json.createObjectNode().put("model", spec.modelName())
            .put("max_tokens", 4).put("stream", stream);
        if (chat) {
          body.putArray("messages").addObject().put("role", "user").put("content", text);
        } else {
          body.put("prompt", text);
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(scratch.url()
                + (chat ? "/v1/chat/completions" : "/v1/completions")))
            .timeout(budget).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        String key = server.settings().apiKey();
        if (key != null) {
          r.header("Authorization", "Bearer " + key);
        }
        sent.add(client.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
          .completeOnTimeout(null, budget.toMillis(), TimeUnit.MILLISECONDS).join();
      int ok = 0;
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        if (f.isDone() && !f.isCompletedExceptionally() && f.join().statusCode() == 200) {
          ok++;
        }
      }
      return ok;
    } catch (RuntimeException e) {
      return 0; // a warm-up that fails (an injected fault, say) only leaves the code colder
    } finally {
      scratch.close();
    }
  }
}
