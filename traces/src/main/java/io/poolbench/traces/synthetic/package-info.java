/**
 * Built-in synthetic workloads ({@code builtin:azure-conv}, {@code builtin:azure-code},
 * {@code builtin:long-mix}): length distributions from the public Azure 2023 traces' quantiles,
 * arrival processes, and the spec syntax that selects them.
 */
package io.poolbench.traces.synthetic;
