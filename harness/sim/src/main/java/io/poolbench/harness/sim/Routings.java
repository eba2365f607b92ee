package io.poolbench.harness.sim;

import io.poolbench.harness.fleet.Fleet;

/** Builds the simulator's routing for a fleet. */
final class Routings {

  private Routings() {}

  static Routing create(Fleet fleet) {
    return new RouterCoreRouting(fleet);
  }
}
