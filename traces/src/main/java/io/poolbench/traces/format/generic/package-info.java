/**
 * Generic CSV and JSON Lines traces for operators' own gateway logs, with columns (or keys) mapped
 * by name, and poolbench's own JSONL format (the default mapping) with its writer.
 */
package io.poolbench.traces.format.generic;
