/**
 * Trace file formats: the format registry ({@link io.poolbench.traces.format.TraceFormat}), the
 * streaming line and number parsers every reader shares, the file source that detects the format
 * and unwraps gzip, and the writers. Each public format has its own subpackage.
 */
package io.poolbench.traces.format;
