package io.poolbench.harness.study;

/**
 * A source of prompts with their true token counts: what the calibration study feeds the
 * estimator (bytes) and what vLLM would report back ({@code usage.prompt_tokens}).
 */
public interface PromptCorpus {

  /**
   * One prompt of about {@code targetTokens} tokens of {@code category} (prose, code, cjk, json),
   * deterministic in {@code index}.
   */
  Sample sample(String category, int targetTokens, long index);

  /** A short description for reports (generator and tokenizer). */
  String description();

  /**
   * One prompt, measured.
   *
   * @param bytes UTF-8 byte length of the text
   * @param tokens its token count under the real BPE tokenizer
   */
  record Sample(long bytes, int tokens) {}
}
