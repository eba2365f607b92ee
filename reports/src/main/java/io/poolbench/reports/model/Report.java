package io.poolbench.reports.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The comparison of several runs that every renderer draws: the runs with their labels, the
 * summary table, the cost comparison and the live-vs-simulated pairs.
 *
 * @param runs the runs, in command-line order
 * @param gpuPriceOverride $ per GPU-hour given on the command line, or null to use run.json's
 */
public record Report(List<ModeRun> runs, Double gpuPriceOverride) {
  /** Hours in a year, for $/year. */
  public static final double HOURS_PER_YEAR = 8760;

  /**
   * Labels {@code data}: {@code labels[i]} when given, else the run's policy, else its fleet name,
   * else its directory name. Runs that share a label and a run mode get their directory name
   * added; when the report mixes run modes (simulate and loadgen), names carry the mode too.
   */
  public static Report of(List<RunData> data, List<String> labels, Double gpuPriceOverride) {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one run");
    }
    if (labels != null && !labels.isEmpty() && labels.size() != data.size()) {
      throw new RunLoadException("--label needs one label per run directory: got "
          + labels.size() + " labels for " + data.size() + " directories");
    }
    List<String> base = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      RunData d = data.get(i);
      String l = labels != null && !labels.isEmpty() ? labels.get(i) : null;
      if (l == null || l.isBlank()) {
        l = Objects.requireNonNullElse(d.facts().policy(), Objects.requireNonNullElse(
            d.facts().fleetName(), dirName(d)));
      }
      base.add(l);
    }
    boolean mixedModes = data.stream().map(d -> d.facts().mode()).distinct().count() > 1;
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      seen.merge(base.get(i) + "\u0000" + data.get(i).facts().mode(), 1, Integer::sum);
    }
    List<ModeRun> runs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      RunData d = data.get(i);
      String name = base.get(i);
      if (mixedModes) {
        name += " · " + d.facts().mode();
      }
      if (seen.get(base.get(i) + "\u0000" + d.facts().mode()) > 1 || names.contains(name)) {
        name += " (" + dirName(d) + ")";
      }
      while (names.contains(name)) {
        name += "'";
      }
      names.add(name);
      runs.add(new ModeRun(base.get(i), name, i, d));
    }
    return new Report(List.copyOf(runs), gpuPriceOverride);
  }

  private static String dirName(RunData d) {
    java.nio.file.Path f = d.dir().toAbsolutePath().normalize().getFileName();
    return f == null ? d.dir().toString() : f.toString();
  }

  /** $ per GPU-hour for {@code run}: the override, else run.json's, else null. */
  public Double gpuPrice(ModeRun run) {
    return gpuPriceOverride != null ? gpuPriceOverride : run.run().facts().gpuPricePerHour();
  }

  /** The side-by-side summary table. */
  public SummaryTable summaryTable() {
    return SummaryTable.of(this);
  }

  /** What the report concludes: one sentence per run mode (see {@link Verdict}). */
  public Verdict verdict() {
    return Verdict.of(this);
  }

  /** Pairs of runs with the same label where one is simulated and the other measured live. */
  public List<ModeRun[]> liveVsSimulated() {
    Map<String, ModeRun> sim = new LinkedHashMap<>();
    Map<String, ModeRun> live = new LinkedHashMap<>();
    for (ModeRun r : runs) {
      switch (r.mode()) {
        case "simulate" -> sim.putIfAbsent(r.label(), r);
        case "loadgen" -> live.putIfAbsent(r.label(), r);
        default -> { }
      }
    }
    List<ModeRun[]> pairs = new ArrayList<>();
    sim.forEach((label, s) -> {
      if (live.containsKey(label)) {
        pairs.add(new ModeRun[] {live.get(label), s});
      }
    });
    return pairs;
  }

  /**
   * The cost comparisons: each multi-pool run against the first one-pool run of the same run
   * mode (live against live, simulated against simulated), else the first one-pool run, if any.
   */
  public List<CostComparison> costComparisons() {
    List<CostComparison> out = new ArrayList<>();
    for (ModeRun r : runs) {
      if (r.run().facts().poolNames().size() >= 2) {
        ModeRun baseline = runs.stream().filter(b -> b.run().facts().poolNames().size() == 1)
            .filter(b -> b.mode().equals(r.mode())).findFirst()
            .orElse(runs.stream().filter(b -> b.run().facts().poolNames().size() == 1)
                .findFirst().orElse(null));
        out.add(CostComparison.of(r, baseline, gpuPrice(r)));
      }
    }
    return out;
  }
}
