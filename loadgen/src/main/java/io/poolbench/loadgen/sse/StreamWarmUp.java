package io.poolbench.loadgen.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Runs the stream-parsing path (SSE framing, chunk JSON, gap timing) over synthetic
 * OpenAI-style chunks before a run starts, offline, so that the JIT compiles it before the first
 * planned row rather than in the run's first seconds, where compiling it on busy cores delayed
 * responses by hundreds of milliseconds.
 */
public final class StreamWarmUp {

  private StreamWarmUp() {}

  /** Parses {@code streams} streams of {@code chunks} chunks each; returns the chunks seen. */
  public static long run(int streams, int chunks) {
    byte[] completion = chunk("{\"id\":\"cmpl-w\",\"object\":\"text_completion\",\"created\":1,"
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" warm\",\"logprobs\":null,"
        + "\"finish_reason\":null,\"stop_reason\":null}],\"usage\":null}");
    byte[] chat = chunk("{\"id\":\"chatcmpl-w\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" warm\"},"
        + "\"logprobs\":null,\"finish_reason\":null}]}");
    byte[] usage = chunk("{\"id\":\"cmpl-w\",\"object\":\"text_completion\",\"created\":1,"
        + "\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":"
        + (5 + chunks) + ",\"completion_tokens\":" + chunks + "}}");
    byte[] done = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    long seen = 0;
    long[] sink = new long[1];
    for (int s = 0; s < streams; s++) {
      StreamTracker tracker = new StreamTracker(gap -> sink[0] += gap);
      byte[] piece = s % 2 == 0 ? completion : chat;
      long t = 1_000;
      for (int c = 0; c < chunks; c++) {
        tracker.onBytes(t += 1_000, ByteBuffer.wrap(piece));
      }
      tracker.onBytes(t += 1_000, ByteBuffer.wrap(usage));
      tracker.onBytes(t + 1_000, ByteBuffer.wrap(done));
      seen += tracker.result().contentChunks();
    }
    return seen + (sink[0] < 0 ? 1 : 0);
  }

  private static byte[] chunk(String json) {
    return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
