/**
 * The vLLM V1 engine model: one instance's scheduler (token budget, sequence slots, chunked
 * prefill, paged KV blocks, FCFS admission, preemption by recompute), admission errors, engine
 * death and restart. Time comes from an {@link io.poolbench.harness.engine.EngineClock}, so the
 * same code runs in virtual time (the simulator) and in real time (the mock server).
 */
package io.poolbench.harness.engine;
