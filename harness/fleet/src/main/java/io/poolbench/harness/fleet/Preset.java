package io.poolbench.harness.fleet;

import io.poolbench.traces.BadInputException;
import java.util.List;
import java.util.Locale;

/**
 * A named experiment: a homogeneous fleet and a two-pool fleet of the same model and GPU, and the
 * arrival rate the papers use for it.
 *
 * @param name preset name
 * @param description one sentence for help and run.json
 * @param homogeneous the single-pool fleet (its pool sized for the longest context)
 * @param twoPool the short + long fleet
 * @param requestRate the papers' arrival rate, req/s
 */
public record Preset(String name, String description, FleetConfig homogeneous,
    FleetConfig twoPool, double requestRate) {

  /** The fleet of {@code variant}: {@code homogeneous} or {@code two-pool}. */
  public FleetConfig variant(String variant) {
    return switch (variant.toLowerCase(Locale.ROOT)) {
      case "homogeneous" -> homogeneous;
      case "two-pool" -> twoPool;
      default -> throw new BadInputException("Unknown fleet variant '" + variant
          + "'; expected homogeneous or two-pool");
    };
  }

  /** The homogeneous fleet with {@code instances} instances. */
  public FleetConfig homogeneous(int instances) {
    return homogeneous.withPools(List.of(homogeneous.pools().get(0).withInstances(instances)));
  }

  /** The two-pool fleet with the given instance counts. */
  public FleetConfig twoPool(int shortInstances, int longInstances) {
    return twoPool.withPools(List.of(twoPool.pools().get(0).withInstances(shortInstances),
        twoPool.pools().get(1).withInstances(longInstances)));
  }

  /** The two-pool fleet with a short pool of {@code maxModelLen} (the threshold B_short). */
  public FleetConfig twoPoolWithShortLimit(int maxModelLen, int shortInstances,
      int longInstances) {
    FleetConfig c = twoPool(shortInstances, longInstances);
    FleetConfig.Routing r = c.routing();
    return c.withPools(List.of(c.pools().get(0).withMaxModelLen(maxModelLen), c.pools().get(1)))
        .withRouting(new FleetConfig.Routing(r.policy(), maxModelLen, r.spillover(),
            r.spillPressure(), r.instancePicker()));
  }
}
