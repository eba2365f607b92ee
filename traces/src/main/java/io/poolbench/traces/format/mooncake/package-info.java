/**
 * The Mooncake trace format (kvcache-ai/Mooncake, Apache-2.0; FAST 2025): JSON Lines with
 * millisecond timestamps, prompt and output lengths, and 512-token prefix-block hashes.
 */
package io.poolbench.traces.format.mooncake;
