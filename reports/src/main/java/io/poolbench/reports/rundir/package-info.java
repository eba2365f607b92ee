/**
 * The run-directory format every producer (the simulator, the load generator) writes and every
 * report reads: {@code run.json}, {@code summary.json}, {@code latency.hlog} and
 * {@code requests.csv.gz}, plus the optional {@code routing.json} (estimator ratios over time
 * and the estimate-error histogram, written by
 * {@link io.poolbench.reports.rundir.RoutingLogWriter}). File names, JSON keys, histogram units
 * and CSV columns are defined here and nowhere else.
 */
package io.poolbench.reports.rundir;
