package io.poolbench.harness.mock;

import io.poolbench.harness.fleet.Fleet;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.traces.BadInputException;
import java.util.ArrayList;
import java.util.List;

/** Mock instances for every instance of a fleet (the fleet files and presets the simulator uses). */
public final class MockFleets {

  private MockFleets() {}

  /**
   * One instance spec per instance of every pool, in pool order, each with its pool's engine and
   * step model.
   *
   * @param servedModelName the model name the instances answer to
   * @param portBase the first port (the others follow), or 0 for free ports
   */
  public static List<InstanceSpec> specs(Fleet fleet, String servedModelName, int portBase) {
    List<InstanceSpec> specs = new ArrayList<>();
    int port = portBase;
    for (PoolSetup pool : fleet.pools()) {
      for (int i = 0; i < pool.instances(); i++) {
        specs.add(new InstanceSpec(pool.name(), i, servedModelName, pool.engine(), pool.perf(),
            portBase == 0 ? 0 : port++));
      }
    }
    if (specs.isEmpty()) {
      throw new BadInputException("The fleet '" + fleet.name() + "' has no instances to serve");
    }
    if (portBase > 0 && portBase + specs.size() - 1 > 65535) {
      throw new BadInputException("--port-base " + portBase + " with " + specs.size()
          + " instances leaves 0..65535");
    }
    return specs;
  }
}
