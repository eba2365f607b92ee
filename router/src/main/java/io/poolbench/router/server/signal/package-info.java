/**
 * Engine load signals read from each endpoint's Prometheus {@code /metrics} page: a strict-enough
 * parser of the text exposition format ({@link
 * io.poolbench.router.server.signal.PrometheusTextParser}) and the reader that turns vLLM's
 * gauges into a {@link io.poolbench.router.pick.LoadSignal} ({@link
 * io.poolbench.router.server.signal.EngineLoadReader}). No I/O here; the scraper lives in
 * {@code router.server}.
 */
package io.poolbench.router.server.signal;
