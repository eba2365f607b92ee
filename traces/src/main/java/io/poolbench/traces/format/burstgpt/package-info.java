/**
 * The BurstGPT trace format (HPMLL/BurstGPT, CC BY 4.0; KDD 2025): CSV with float-second
 * timestamps, where a zero-token response marks a request that failed in the source.
 */
package io.poolbench.traces.format.burstgpt;
