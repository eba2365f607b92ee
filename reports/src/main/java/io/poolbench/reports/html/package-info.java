/**
 * The HTML report: {@link io.poolbench.reports.html.HtmlReporter} lays out a page of
 * {@link io.poolbench.reports.html.Panel}s, each drawing its charts as inline SVG through
 * {@link io.poolbench.reports.html.LineChart} and {@link io.poolbench.reports.html.BarChart}
 * (our own Java code; no chart library, no CDN). The stylesheet and a small checking script are
 * resources in {@code assets/}, copied beside {@code index.html} so the report works offline.
 * Every string from a run directory goes through {@link io.poolbench.reports.html.Html#esc}.
 */
package io.poolbench.reports.html;
