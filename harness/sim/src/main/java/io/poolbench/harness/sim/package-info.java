/**
 * The discrete-event fleet simulator: pools of engine models in virtual time, arrivals from any
 * trace, routing and faults, over a fleet resolved by {@code io.poolbench.harness.fleet}.
 */
package io.poolbench.harness.sim;
