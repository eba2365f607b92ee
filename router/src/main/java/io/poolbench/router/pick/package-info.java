/**
 * Endpoint pickers: which engine inside a pool serves a request. {@link
 * io.poolbench.router.pick.PickerKind} is the registry ({@code round-robin},
 * {@code least-requests}, {@code least-tokens}, {@code power-of-two}); {@link
 * io.poolbench.router.pick.Endpoints} holds the router's own outstanding counts plus optional
 * load signals scraped from the engines, each stamped with its age so a stale one is visible.
 */
package io.poolbench.router.pick;
