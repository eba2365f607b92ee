package io.poolbench.harness.compare;

import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.harness.sizing.Sizer;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.TraceSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes each comparison mode for the SLO with the simulator's sizing search ({@link Sizer}, the
 * code of {@code poolbench size}) before the modes run: {@code single} gets the smallest
 * homogeneous fleet, every other mode the smallest two-pool fleet routed by its policy.
 *
 * @param fleets per mode, the sized fleet
 * @param gpusNeeded per mode, its GPUs
 */
public record ModeSizing(Map<String, FleetConfig> fleets, Map<String, Integer> gpusNeeded) {

  /** Highest share of failed requests a sized fleet may have, as {@code poolbench size}. */
  public static final double MAX_REJECTION = 0.001;

  /**
   * Sizes {@code modes} on {@code trace}; the sizing runs go under {@code workDir}.
   *
   * @throws Sizer.NoFleetMeetsSlo when no fleet within the search's limit meets the SLO
   */
  public static ModeSizing size(FleetConfig fleet, List<String> modes, TraceSource trace,
      Summary.Slo slo, Path workDir, PrintStream log) {
    FleetConfig homogeneous = Comparison.equalGpuFleet(fleet, "single");
    List<String> twoPoolModes = new ArrayList<>();
    for (String m : modes) {
      if (!Comparison.isSingle(m)) {
        twoPoolModes.add(m);
      }
    }
    if (twoPoolModes.isEmpty()) {
      // the search sizes a pair; the homogeneous half is what 'single' needs
      String policy = fleet.routing() != null && fleet.routing().policy() != null
          && !fleet.routing().policy().equalsIgnoreCase("single") ? fleet.routing().policy()
          : "token-budget";
      twoPoolModes.add(policy);
    }
    Map<String, FleetConfig> fleets = new LinkedHashMap<>();
    Map<String, Integer> gpus = new LinkedHashMap<>();
    Sizer.FleetResult single = null;
    for (String mode : twoPoolModes) {
      FleetConfig twoPool = Comparison.equalGpuFleet(fleet, mode);
      log.printf("sizing %s against single for the SLO (simulated)%n", mode);
      Sizer.Result r = Sizer.size(homogeneous, twoPool, trace, new Sizer.Settings(slo,
          MAX_REJECTION, 8760, 2000, workDir.resolve(mode), 5000));
      if (single == null) {
        single = r.homogeneous();
      }
      if (modes.contains(mode)) {
        FleetConfig sized = withInstances(twoPool, r.twoPool().instances());
        fleets.put(mode, sized);
        gpus.put(mode, FleetConfigs.resolve(sized).gpus());
      }
    }
    for (String m : modes) {
      if (Comparison.isSingle(m)) {
        FleetConfig one = Comparison.equalGpuFleet(fleet, m);
        Sizer.FleetResult sizedOne = single;
        if (!one.equals(homogeneous)) {
          // single+affinity: its own search (the pair's homogeneous half with that picker)
          log.printf("sizing %s for the SLO (simulated)%n", m);
          sizedOne = Sizer.size(one, Comparison.equalGpuFleet(fleet, twoPoolModes.get(0)), trace,
              new Sizer.Settings(slo, MAX_REJECTION, 8760, 2000, workDir.resolve(m), 5000))
              .homogeneous();
        }
        FleetConfig sized = withInstances(one, sizedOne.instances());
        fleets.put(m, sized);
        gpus.put(m, FleetConfigs.resolve(sized).gpus());
      }
    }
    Map<String, FleetConfig> orderedFleets = new LinkedHashMap<>();
    Map<String, Integer> orderedGpus = new LinkedHashMap<>();
    for (String m : modes) {
      orderedFleets.put(m, fleets.get(m));
      orderedGpus.put(m, gpus.get(m));
    }
    return new ModeSizing(orderedFleets, orderedGpus);
  }

  /**
   * The saving of {@code mode} against the first one-pool mode, 1 − its GPUs ÷ that mode's, or
   * NaN when there is no one-pool mode.
   */
  public double saving(String mode) {
    for (Map.Entry<String, Integer> e : gpusNeeded.entrySet()) {
      if (fleets.get(e.getKey()).pools().size() == 1) {
        return 1 - (double) gpusNeeded.get(mode) / e.getValue();
      }
    }
    return Double.NaN;
  }

  private static FleetConfig withInstances(FleetConfig c, List<Integer> instances) {
    List<FleetConfig.Pool> pools = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      pools.add(c.pools().get(i).withInstances(instances.get(i)));
    }
    return c.withPools(pools);
  }
}
