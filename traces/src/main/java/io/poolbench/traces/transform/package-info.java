/**
 * Trace transforms: time windows, first-N, sampling, rate scaling, re-timing (Poisson, gamma,
 * constant), looping and cutting to a duration, length clamps and the declared output budget.
 * Each is a {@link io.poolbench.traces.transform.TraceTransform}; they compose with
 * {@code andThen}.
 */
package io.poolbench.traces.transform;
