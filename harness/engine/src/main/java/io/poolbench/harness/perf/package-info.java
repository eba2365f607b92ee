/**
 * Performance models: how long one engine step takes for a given batch, from the papers' affine
 * iteration model to a compute/memory roofline.
 */
package io.poolbench.harness.perf;
