/**
 * The router library's entry points and settings: the request view a decision reads, the decision
 * it returns, pool descriptions, feedback outcomes and {@link io.poolbench.router.PoolRouter}, which
 * ties the estimator, categorizer, policy and metrics together. Nothing here does HTTP; the
 * simulator, the router service ({@code io.poolbench.router.server}) and the JMH benchmarks all
 * call it.
 */
package io.poolbench.router;
