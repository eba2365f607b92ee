/** The console-table rendering of a report's summary table. */
package io.poolbench.reports.text;
