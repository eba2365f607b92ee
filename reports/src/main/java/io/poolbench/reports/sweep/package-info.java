/** The result of a rate sweep ({@code poolbench sweep}): per routing mode, goodput against rate. */
package io.poolbench.reports.sweep;
