package io.poolbench.traces.synthetic;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A built-in workload with its parameters: every {@link #open()} regenerates the same requests
 * lazily, in constant memory, from the seed.
 */
public final class SyntheticTraceSource implements TraceSource {

  private final BuiltinWorkload workload;
  private final WorkloadParams params;
  private final String name;

  public SyntheticTraceSource(BuiltinWorkload workload, WorkloadParams params) {
    this.workload = workload;
    this.params = params;
    this.name = "builtin:" + workload.spelling();
  }

  public BuiltinWorkload workload() {
    return workload;
  }

  public WorkloadParams params() {
    return params;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Stream<TraceRequest> open() {
    SplittableRandom root = new SplittableRandom(params.seed());
    // separate streams, so that changing the rate does not change the lengths drawn
    SplittableRandom arrivalRandom = root.split();
    SplittableRandom lengthRandom = root.split();
    ArrivalPattern arrivals = workload.arrivals(params);
    long endNanos = params.duration().toNanos();
    Spliterator<TraceRequest> spliterator =
        new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
          @Override
          public boolean tryAdvance(Consumer<? super TraceRequest> action) {
            long arrivalNanos = Math.round(arrivals.next(arrivalRandom) * 1e9);
            if (arrivalNanos >= endNanos) {
              return false;
            }
            action.accept(workload.draw(lengthRandom, arrivalNanos, params));
            return true;
          }
        };
    return StreamSupport.stream(spliterator, false);
  }
}
