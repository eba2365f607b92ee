/**
 * The load generator: open-loop replay of a trace against OpenAI-compatible endpoints, with
 * latencies measured from each request's planned send time.
 */
package io.poolbench.loadgen;
