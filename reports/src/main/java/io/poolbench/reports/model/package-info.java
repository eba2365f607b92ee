/**
 * The report data model: run directories loaded into {@link io.poolbench.reports.model.RunData}
 * (summary, merged latency histograms, per-interval series, streamed request statistics) and the
 * comparison of several runs ({@link io.poolbench.reports.model.Report},
 * {@link io.poolbench.reports.model.SummaryTable}) that every renderer (HTML, text, CSV) shares.
 * Nothing here depends on a producer: only the files of {@code io.poolbench.reports.rundir}.
 */
package io.poolbench.reports.model;
