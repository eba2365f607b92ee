package io.poolbench.router.estimate;

/**
 * A consistent view of one estimator category, for metrics and reports.
 *
 * @param name category name ({@code _default} for the default bucket)
 * @param index dense category index
 * @param meanBytesPerToken EMA of observed bytes per token
 * @param deviationBytesPerToken EMA of the absolute deviation from the mean
 * @param routingBytesPerToken the ratio routing uses now (conservative, or a fallback)
 * @param samples prompt-token observations accepted
 * @param calibrated true once the category has min-samples observations
 * @param outputQuantileTokens learned completion-token quantile, or -1 when not learning
 */
public record CategoryStats(
    String name,
    int index,
    double meanBytesPerToken,
    double deviationBytesPerToken,
    double routingBytesPerToken,
    long samples,
    boolean calibrated,
    long outputQuantileTokens) {}
