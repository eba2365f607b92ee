/**
 * The Azure LLM inference trace format (Azure/AzurePublicDataset, CC BY 4.0): the 2023 traces
 * (Splitwise, ISCA 2024), the 2024 week-long traces (DynamoLLM, HPCA 2025) and the 2025 multimodal
 * traces with a {@code NumImages} column.
 */
package io.poolbench.traces.format.azure;
