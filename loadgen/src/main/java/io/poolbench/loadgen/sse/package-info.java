/**
 * Server-sent events: an incremental {@code text/event-stream} parser and a tracker that
 * timestamps the chunks of a streamed OpenAI-style completion (TTFT, inter-chunk gaps, usage,
 * in-stream errors, cut-off streams).
 */
package io.poolbench.loadgen.sse;
