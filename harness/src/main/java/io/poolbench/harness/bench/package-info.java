/**
<<<<<<< HEAD
 * JMH microbenchmarks, run with {@code poolbench microbench <regex> [JMH options]}; never part of
 * the test phase.
=======
 * JMH microbenchmarks, run with {@code poolbench microbench <regex> [JMH options]} (never in the
 * test phase): the router's decision path per policy, estimator updates, request-body inspection
 * and endpoint picking, each on one thread and on two contending threads.
>>>>>>> wt-router
 */
package io.poolbench.harness.bench;
