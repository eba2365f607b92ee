/**
 * JMH microbenchmarks, run with {@code poolbench microbench <regex> [JMH options]}; never part of
 * the test phase. Among them: trace parsing, prompt synthesis, and the router's decision path per
 * policy, estimator updates, request-body inspection and endpoint picking, each on one thread and
 * on two contending threads.
 */
package io.poolbench.harness.bench;
