/**
 * Experiments: one trace through several routing modes, live (mock fleet, router service, load
 * generator) and simulated, into run directories that a report puts side by side.
 */
package io.poolbench.harness.compare;
