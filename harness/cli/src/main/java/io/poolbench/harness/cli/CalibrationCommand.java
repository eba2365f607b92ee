package io.poolbench.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.poolbench.harness.study.CalibrationReport;
import io.poolbench.harness.study.CalibrationStudy;
import io.poolbench.harness.study.PromptCorpus;
import io.poolbench.traces.prompt.TokenizerKind;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench study calibration}: the papers' Table 5 with real tokenization. */
@Command(
    name = "calibration",
    header = "Measure how fast the bytes-per-token estimate converges and how often it misroutes.",
    description = {
      "Reproduces Table 5 of arXiv 2604.08075: streams of prose, code and CJK prompts with "
          + "lengths drawn around B_short are tokenized with a real BPE tokenizer (standing in "
          + "for usage.prompt_tokens). Reports each category's true bytes per token, the EMA "
          + "after 10, 50 and 200 samples with its relative error, and the misroute rate of the "
          + "static 4.0 rule, the per-category EMA, the EMA with its margin, and one bucket over "
          + "the mix (with and without the margin)."
    })
final class CalibrationCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the result as JSON instead of a table.")
  boolean json;

  @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "1",
      description = "Seed of the prompt lengths and texts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--requests", paramLabel = "<count>", defaultValue = "2000",
      description = "Prompts per category, at least 200 (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--tokenizer", paramLabel = "<name>", defaultValue = "cl100k_base",
      description = "Tokenizer standing in for the engine's: cl100k_base or o200k_base "
          + "(default: ${DEFAULT-VALUE}).")
  String tokenizer;

  @Option(names = "--corpus", paramLabel = "<name>", defaultValue = "synthesizer",
      description = "Prompt source: synthesizer (exact-token synthetic prose, code and CJK) or "
          + "vocabulary (a cruder built-in generator) (default: ${DEFAULT-VALUE}).")
  String corpus;

  @Option(names = "--chat",
      description = "Report usage.prompt_tokens as for a one-message chat request (content plus "
          + "the Llama 3 template's 10 tokens) instead of a completions prompt.")
  boolean chat;

  @Override
  public Integer call() throws Exception {
    TokenizerKind kind = TokenizerKind.named(tokenizer);
    CalibrationStudy.Settings settings =
        CalibrationStudy.Settings.defaults(seed).withRequestsPerCategory(requests);
    PromptCorpus prompts = StudyCorpora.named(corpus, kind, seed, chat);
    CalibrationStudy.Result result = CalibrationStudy.run(prompts, settings);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(CalibrationReport.json(result)));
    } else {
      out.print(CalibrationReport.text(result));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
