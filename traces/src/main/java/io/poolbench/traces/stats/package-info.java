/**
 * Trace statistics in bounded memory: exact nearest-rank token percentiles from count arrays,
 * rates over windows aligned to the first arrival, and the inter-arrival coefficient of variation.
 */
package io.poolbench.traces.stats;
