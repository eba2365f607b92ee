package io.poolbench.traces.prompt;

/**
 * A synthesized prompt with its exact token count and its UTF-8 length (the {@code |r|} the
 * token-budget router divides by its bytes-per-token ratio).
 *
 * @param text the prompt text
 * @param tokens its token count under the synthesizer's tokenizer
 * @param utf8Bytes its length in UTF-8 bytes
 */
public record SynthesizedPrompt(String text, int tokens, int utf8Bytes) {

  /** UTF-8 bytes per token, or NaN for an empty prompt. */
  public double bytesPerToken() {
    return tokens == 0 ? Double.NaN : (double) utf8Bytes / tokens;
  }
}
