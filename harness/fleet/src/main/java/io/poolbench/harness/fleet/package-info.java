/**
 * Fleet files and presets ({@link io.poolbench.harness.fleet.FleetConfig}, {@link
 * io.poolbench.harness.fleet.Presets}), resolved by {@link io.poolbench.harness.fleet.FleetConfigs}
 * into pools of engine models ({@link io.poolbench.harness.fleet.Fleet}): the one description of a
 * fleet that the mock server and the simulator both start from.
 */
package io.poolbench.harness.fleet;
