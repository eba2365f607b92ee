package io.poolbench.harness.bench;

import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.SynthesizedPrompt;
import io.poolbench.traces.prompt.TokenizerKind;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Prompt synthesis throughput on one thread: prompts/s (the primary score), plus UTF-8 bytes/s
 * and tokens/s as auxiliary counters, per category and prompt length. The target is 1,000
 * prompts/s of 2,048 tokens from one core, i.e. about 2 M tokens/s.
 *
 * <p>Run: {@code ./mvnw -B -q -pl harness -am package -DskipTests && java -jar
 * harness/target/poolbench.jar microbench PromptSynthesis -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 * Bytes per token for a row is {@code bytes / tokens}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class PromptSynthesisBenchmark {

  @Param({"PROSE", "CODE", "CJK", "JSON"})
  public ContentCategory category;

  @Param({"2048"})
  public int tokens;

  @Param({"CL100K_BASE"})
  public TokenizerKind tokenizer;

  private PromptSynthesizer synthesizer;
  /** Advances every call so each invocation builds a new request's text, as a load test does. */
  private long requestIndex;

  /** Per-iteration totals that JMH turns into rates (bytes/s, tokens/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Volume {
    public long bytes;
    public long tokens;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      tokens = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    synthesizer = new PromptSynthesizer(tokenizer, 1);
  }

  @Benchmark
  public SynthesizedPrompt synthesize(Volume volume) {
    SynthesizedPrompt prompt = synthesizer.prompt(tokens, category, requestIndex++);
    volume.bytes += prompt.utf8Bytes();
    volume.tokens += prompt.tokens();
    return prompt;
  }

  /**
   * Synthesis plus a full re-count with jtokkit: what exactness would cost if every prompt were
   * tokenized, as a naive "generate, count, adjust" synthesizer must.
   */
  @Benchmark
  public int synthesizeAndRecount(Volume volume) {
    SynthesizedPrompt prompt = synthesizer.prompt(tokens, category, requestIndex++);
    volume.bytes += prompt.utf8Bytes();
    volume.tokens += prompt.tokens();
    return synthesizer.countTokens(prompt.text());
  }
}
