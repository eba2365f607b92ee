/**
 * Load measurements of the mock server itself (concurrent streams, SSE events per second,
 * step-timing error): plain mains run by hand, never in the test phase.
 */
package io.poolbench.harness.mock.bench;
