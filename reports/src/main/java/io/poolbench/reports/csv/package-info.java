/** The CSV rendering of a report's summary table (RFC 4180 quoting). */
package io.poolbench.reports.csv;
