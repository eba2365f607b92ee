package io.poolbench.harness.cli;

import com.knuddels.jtokkit.api.EncodingType;
import io.poolbench.harness.study.PromptCorpus;
import io.poolbench.harness.study.SynthesizerCorpus;
import io.poolbench.harness.study.VocabularyCorpus;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.prompt.TokenizerKind;
import java.util.Locale;

/** Builds the prompt corpus a study asks for by name. */
final class StudyCorpora {

  private StudyCorpora() {}

  /**
   * {@code synthesizer} (the traces module's exact-token prompt synthesizer) or
   * {@code vocabulary} (a cruder built-in word-list generator counted with jtokkit).
   */
  static PromptCorpus named(String corpus, TokenizerKind tokenizer, long seed, boolean chat) {
    return switch (corpus.strip().toLowerCase(Locale.ROOT)) {
      case "synthesizer" -> new SynthesizerCorpus(tokenizer, seed, chat);
      case "vocabulary" -> {
        if (chat) {
          throw new BadInputException("--chat needs --corpus synthesizer");
        }
        yield new VocabularyCorpus(tokenizer == TokenizerKind.O200K_BASE
            ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE, seed);
      }
      default -> throw new BadInputException(
          "--corpus '" + corpus + "' is not one of synthesizer, vocabulary");
    };
  }
}
