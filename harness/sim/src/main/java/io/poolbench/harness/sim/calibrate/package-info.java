/**
 * Calibration of a step-time model from a measured run: the requests of a run directory are
 * replayed through the engine model in virtual time with candidate parameters, and a
 * derivative-free search picks the parameters whose replay reproduces the measured per-request
 * TTFT and E2E best.
 */
package io.poolbench.harness.sim.calibrate;
