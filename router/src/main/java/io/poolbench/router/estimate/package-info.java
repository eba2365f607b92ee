/**
 * The tokenizer-free token-budget estimator of arXiv 2604.09613 §2: a per-category EMA of observed
 * bytes per token and of its absolute deviation, the conservative routing ratio
 * {@code mean − γ·deviation}, bounded categories, and the output-budget rule used when a request
 * declares no {@code max_tokens}.
 */
package io.poolbench.router.estimate;
