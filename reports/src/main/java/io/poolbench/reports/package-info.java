/**
 * Reports read from run directories: {@link io.poolbench.reports.ReportFormat} names the formats
 * (HTML, text, CSV) and {@link io.poolbench.reports.Reporter} is what each implements. The data
 * model is in {@code model}, the renderers in {@code html}, {@code text} and {@code csv}.
 */
package io.poolbench.reports;
