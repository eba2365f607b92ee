/**
 * Observability objects the router service exports as Prometheus metrics: counts per
 * pool/category/outcome, decisions, spillovers, misroutes, the signed estimate-error histogram,
 * and the estimator's current ratio and sample count per category. Recording is lock-free and
 * allocation-free.
 */
package io.poolbench.router.metrics;
