package io.poolbench.harness.perf;

import java.util.Locale;

/**
 * The papers' companion-simulator model: a step takes {@code W + H × Σ(context / 8192)} over its
 * scheduled sequences, i.e. a fixed cost plus a per-sequence cost that scales with the context
 * it attends to. Defaults for Llama-3-70B on A100 (TP 2): W = 8 ms, H = 0.65 ms per sequence at
 * 8,192 tokens of context (vLLM Semantic Router {@code fleet-sim} GUIDE, cited by arXiv 2604.09613).
 *
 * @param fixedNanos W, the fixed cost of every step
 * @param perSequenceNanosAtRef H, the cost per sequence whose context is {@code refContextTokens}
 * @param refContextTokens the context at which H is quoted (8,192)
 */
public record AffinePerfModel(long fixedNanos, long perSequenceNanosAtRef, int refContextTokens)
    implements PerfModel {

  /** W = 8 ms, H = 0.65 ms at 8K: the papers' Llama-3-70B / A100 profile. */
  public static final AffinePerfModel PAPER_LLAMA70B_A100 =
      new AffinePerfModel(8_000_000L, 650_000L, 8192);

  public AffinePerfModel {
    if (fixedNanos < 0 || perSequenceNanosAtRef < 0 || refContextTokens <= 0) {
      throw new IllegalArgumentException("affine model needs W >= 0, H >= 0 and a reference "
          + "context > 0, got W=" + fixedNanos + "ns H=" + perSequenceNanosAtRef + "ns ref="
          + refContextTokens);
    }
  }

  @Override
  public long stepNanos(StepShape step) {
    // a multiplication instead of a 64-bit division: this runs once per simulated step
    return fixedNanos + (long) (step.contextTokens * ((double) perSequenceNanosAtRef
        / refContextTokens));
  }

  @Override
  public String describe() {
    return String.format(Locale.US, "affine(W=%.3fms,H=%.3fms@%d)", fixedNanos / 1e6,
        perSequenceNanosAtRef / 1e6, refContextTokens);
  }
}
