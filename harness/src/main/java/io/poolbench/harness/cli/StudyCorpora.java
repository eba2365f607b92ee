package io.poolbench.harness.cli;

import com.knuddels.jtokkit.api.EncodingType;
import io.poolbench.harness.study.PromptCorpus;
import io.poolbench.harness.study.VocabularyCorpus;

/** Chooses the prompt corpus a study uses. */
final class StudyCorpora {

  private StudyCorpora() {}

  /** The best corpus available for {@code tokenizer}. */
  static PromptCorpus best(EncodingType tokenizer, long seed) {
    return new VocabularyCorpus(tokenizer, seed);
  }
}
