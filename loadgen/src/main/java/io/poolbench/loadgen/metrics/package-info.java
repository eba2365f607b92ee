/**
 * Engine metrics read by the load generator: a small Prometheus text reader, and a watch that
 * reads each engine's {@code /metrics} before, during and after a run, for what a client cannot
 * see (preemptions, queue depth, KV-cache usage).
 */
package io.poolbench.loadgen.metrics;
