package io.poolbench.harness.sim;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Test trace: Poisson arrivals at a rate, uniform prompt and output lengths, seeded. */
record SyntheticSource(double ratePerSecond, long requests, int maxPrompt, int maxOutput,
    long seed) implements TraceSource {

  @Override
  public String name() {
    return "synthetic";
  }

  @Override
  public Stream<TraceRequest> open() {
    SplittableRandom random = new SplittableRandom(seed);
    long[] at = {0};
    return Stream.generate(() -> {
      at[0] += (long) (-Math.log1p(-random.nextDouble()) / ratePerSecond * 1e9);
      int prompt = 1 + random.nextInt(maxPrompt);
      int output = 1 + random.nextInt(maxOutput);
      return new TraceRequest(at[0], prompt, output, random.nextInt(4) == 0 ? "code" : "prose",
          TraceRequest.NO_MAX_TOKENS, null, false, 0, "synthetic", 0);
    }).limit(requests);
  }
}
