/**
 * Traces: the request record model, readers for public trace formats, transforms, built-in
 * workloads and prompt text synthesis. Every other module reads traces through this package.
 */
package io.poolbench.traces;
