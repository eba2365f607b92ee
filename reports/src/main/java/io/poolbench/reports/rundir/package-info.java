/**
 * The run-directory format every producer (the simulator, the load generator) writes and every
 * report reads: {@code run.json}, {@code summary.json}, {@code latency.hlog} and
 * {@code requests.csv.gz}. File names, JSON keys, histogram units and CSV columns are defined
 * here and nowhere else.
 */
package io.poolbench.reports.rundir;
