package io.poolbench.traces.transform;

import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A source whose stream passes through an operation each time it is opened. */
final class TransformedSource implements TraceSource {
  private final TraceSource upstream;
  private final UnaryOperator<Stream<TraceRequest>> operation;

  TransformedSource(TraceSource upstream, UnaryOperator<Stream<TraceRequest>> operation) {
    this.upstream = upstream;
    this.operation = operation;
  }

  @Override
  public String name() {
    return upstream.name();
  }

  @Override
  public Stream<TraceRequest> open() {
    Stream<TraceRequest> stream = upstream.open();
    try {
      return operation.apply(stream);
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  @Override
  public long skippedRows() {
    return upstream.skippedRows();
  }
}
