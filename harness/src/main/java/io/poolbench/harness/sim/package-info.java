/**
 * The discrete-event fleet simulator: pools of engine models in virtual time, arrivals from any
 * trace, routing, faults, and the fleet configuration (YAML and presets) it runs.
 */
package io.poolbench.harness.sim;
