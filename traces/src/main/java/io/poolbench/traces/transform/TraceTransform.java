package io.poolbench.traces.transform;

import io.poolbench.traces.TraceSource;

/** A change to a trace: wraps a source into another source; transforms compose in order. */
@FunctionalInterface
public interface TraceTransform {

  /** The transformed source (lazy: nothing is read until it is opened). */
  TraceSource applyTo(TraceSource source);

  /** This transform, then {@code next}. */
  default TraceTransform andThen(TraceTransform next) {
    return source -> next.applyTo(applyTo(source));
  }

  /** The transform that changes nothing. */
  static TraceTransform identity() {
    return source -> source;
  }
}
