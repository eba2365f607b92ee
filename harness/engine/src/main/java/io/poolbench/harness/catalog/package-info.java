/**
 * The GPU and model catalog, and KV-cache capacity derived from first principles the way vLLM
 * derives it at startup.
 */
package io.poolbench.harness.catalog;
