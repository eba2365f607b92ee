/**
 * Fleet sizing and cost: the papers' closed form α(1 − 1/ρ), per-pool discrete sizing from
 * measured per-instance throughput, and the smallest fleets that meet an SLO, verified with the
 * simulator.
 */
package io.poolbench.harness.sizing;
