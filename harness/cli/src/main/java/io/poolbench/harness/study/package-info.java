/**
 * Studies that reproduce the papers' side experiments with real tokenizers. {@link
 * io.poolbench.harness.study.CalibrationStudy} is Table 5 of arXiv 2604.08075: how fast the
 * per-category bytes-per-token EMA converges and how often it misroutes around B_short.
 */
package io.poolbench.harness.study;
