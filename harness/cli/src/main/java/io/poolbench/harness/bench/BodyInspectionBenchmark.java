package io.poolbench.harness.bench;

import io.poolbench.router.RequestView;
import io.poolbench.router.inspect.Categorizer;
import io.poolbench.router.inspect.RequestBodyInspector;
import io.poolbench.router.inspect.TextSample;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Inspecting an OpenAI chat request body of 1 KB, 16 KB and 256 KB with the streaming inspector
 * (prompt bytes, max tokens, model, stream, text sample) plus the category sniff: what the router
 * does per request before deciding. Target ≥ 300 MB/s; MB/s = body bytes ÷ (µs/op).
 *
 * <p>Run: {@code ./poolbench microbench BodyInspection -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class BodyInspectionBenchmark {

  @Param({"1024", "16384", "262144"})
  public int bodyBytes;

  byte[] body;
  RequestBodyInspector inspector;
  RequestView view;
  TextSample sample;

  @Setup(Level.Trial)
  public void setUp() {
    body = chatBody(bodyBytes, 7);
    inspector = new RequestBodyInspector();
    view = new RequestView();
    sample = new TextSample();
  }

  /**
   * A chat body of about {@code size} bytes: a system message, then a user message of English
   * prose with some JSON escapes and a little CJK, then typical extra fields.
   */
  static byte[] chatBody(int size, long seed) {
    String[] words = {"the", "router", "estimates", "tokens", "from", "bytes", "and", "sends",
        "short", "requests", "to", "a", "smaller", "pool", "with", "more", "slots", "per", "GPU",
        "\\\"quoted\\\"", "line\\nbreak", "数据", "模型"};
    String head = "{\"model\":\"llama-3-70b\",\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"";
    String tail = "\"}],\"max_tokens\":512,\"temperature\":0.7,\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true}}";
    StringBuilder text = new StringBuilder();
    SplittableRandom random = new SplittableRandom(seed);
    int budget = Math.max(0, size - head.length() - tail.length());
    while (text.toString().getBytes(StandardCharsets.UTF_8).length < budget - 16) {
      text.append(words[random.nextInt(words.length)]).append(' ');
    }
    return (head + text + tail).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public void inspect(Blackhole blackhole) {
    inspector.inspect(body, view.clear(), sample.clear());
    blackhole.consume(Categorizer.sniff(sample));
    blackhole.consume(view.promptBytes());
    blackhole.consume(view.maxTokens());
  }
}
