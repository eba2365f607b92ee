package io.poolbench.harness.study;

import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.SynthesizedPrompt;
import io.poolbench.traces.prompt.TokenizerKind;

/**
 * Prompts from the traces module's {@link PromptSynthesizer}: text of an exact token count under
 * a real BPE tokenizer, so the count is what an engine with that tokenizer would report as
 * {@code usage.prompt_tokens}. With {@code chat}, the count includes the Llama 3 chat template's
 * overhead for a one-message request (the bytes stay the content's, as the router measures them).
 */
public final class SynthesizerCorpus implements PromptCorpus {

  private final PromptSynthesizer synthesizer;
  private final boolean chat;

  public SynthesizerCorpus(TokenizerKind tokenizer, long seed, boolean chat) {
    this.synthesizer = new PromptSynthesizer(tokenizer, seed);
    this.chat = chat;
  }

  /** The synthesizer behind the corpus (tests re-count its texts). */
  public PromptSynthesizer synthesizer() {
    return synthesizer;
  }

  @Override
  public Sample sample(String category, int targetTokens, long index) {
    SynthesizedPrompt p = synthesizer.prompt(targetTokens, ContentCategory.named(category), index);
    int tokens = chat ? synthesizer.chatTemplate().promptTokens(p.tokens()) : p.tokens();
    return new Sample(p.utf8Bytes(), tokens);
  }

  @Override
  public String description() {
    return "traces prompt synthesizer, " + synthesizer.tokenizer().spelling()
        + (chat ? ", chat usage (content + Llama 3 template tokens)" : ", completions usage");
  }
}
