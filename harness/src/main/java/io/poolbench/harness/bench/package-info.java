/**
 * JMH microbenchmarks, run with {@code poolbench microbench <regex> [JMH options]}; never part of
 * the test phase.
 */
package io.poolbench.harness.bench;
