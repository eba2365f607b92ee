/**
 * Experiments: one trace through several routing modes, live (the mock fleet, or real engines
 * named by router config files, behind the router service, replayed by the load generator with
 * the engines' metrics read) and simulated, at equal GPUs or each sized for the SLO, into run
 * directories that a report puts side by side.
 */
package io.poolbench.harness.compare;
