package io.poolbench.reports.model;

import io.poolbench.reports.rundir.RoutingLog;
import io.poolbench.reports.rundir.RunInfo;
import io.poolbench.reports.rundir.Summary;
import java.nio.file.Path;

/**
 * One run directory as the report sees it. The optional parts are null when the directory lacks
 * the file; renderers say so instead of drawing nothing.
 *
 * @param dir where it was read from
 * @param info run.json
 * @param summary summary.json
 * @param latency latency.hlog, or null
 * @param requests requests.csv.gz aggregates, or null
 * @param routing routing.json, or null
 * @param engines engine-metrics.csv per pool and bin, or null
 */
public record RunData(Path dir, RunInfo info, Summary summary, LatencyLog latency,
    RequestStats requests, RoutingLog routing, EngineLoad engines) {

  /** Typed access to run.json's config. */
  public RunFacts facts() {
    return new RunFacts(info);
  }
}
