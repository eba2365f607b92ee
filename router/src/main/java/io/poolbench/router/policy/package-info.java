/**
 * Pool policies: which pool of a fleet a request goes to. {@link
 * io.poolbench.router.policy.PolicyKind} is the registry ({@code single}, {@code token-budget},
 * {@code k-pools}, {@code prompt-only}, {@code oracle}, {@code random}, {@code round-robin});
 * every policy respects each pool's {@code max_model_len} for the tokens it routes on and reports
 * an over-limit request explicitly instead of sending it to a pool that is too small.
 */
package io.poolbench.router.policy;
