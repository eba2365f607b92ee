package io.poolbench.harness.sim.calibrate;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.stream.Stream;

/**
 * The ok requests of a measured run as a trace: same arrival times and prompt lengths, the
 * generated token count as the output length, and the declared max_tokens (or the generated
 * count when none was declared). Feeding it to the simulator replays the run with the simulator's
 * own routing.
 */
public final class RequestLogTrace implements TraceSource {
  private final RecordedRun run;

  public RequestLogTrace(RecordedRun run) {
    this.run = run;
  }

  @Override
  public String name() {
    return run.path().resolve("requests.csv.gz").toString();
  }

  @Override
  public Stream<TraceRequest> open() {
    return run.requests().stream().map(r -> new TraceRequest(r.arrivalNanos(), r.promptTokens(),
        r.generatedTokens(), null, r.maxTokens() > 0 ? r.maxTokens() : r.generatedTokens(), null,
        false, 0, name(), 0));
  }
}
