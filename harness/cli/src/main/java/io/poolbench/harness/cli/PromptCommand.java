package io.poolbench.harness.cli;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.prompt.ContentCategory;
import io.poolbench.traces.prompt.PromptSynthesizer;
import io.poolbench.traces.prompt.SynthesizedPrompt;
import io.poolbench.traces.prompt.TokenizerKind;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench prompt}: inspect synthesized prompt text and its bytes-per-token ratios. */
@Command(
    name = "prompt",
    header = "Show synthesized prompt text and each category's bytes per token.",
    description = {
      "Load tests send prompts whose token count under a real BPE tokenizer (cl100k_base or "
          + "o200k_base) is exactly the trace's prompt length. 'prompt sample' prints one; "
          + "'prompt ratios' measures each category's UTF-8 bytes per token against the papers' "
          + "figures (prose 4.48, code 3.52, CJK 2.01)."
    },
    subcommands = {PromptCommand.Sample.class, PromptCommand.Ratios.class})
final class PromptCommand implements Runnable {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Converts flag values with the enums' case-insensitive {@code named} lookups. */
  static final class CategoryConverter implements ITypeConverter<ContentCategory> {
    @Override
    public ContentCategory convert(String value) {
      try {
        return ContentCategory.named(value);
      } catch (BadInputException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** See {@link CategoryConverter}. */
  static final class TokenizerConverter implements ITypeConverter<TokenizerKind> {
    @Override
    public TokenizerKind convert(String value) {
      try {
        return TokenizerKind.named(value);
      } catch (BadInputException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code poolbench prompt sample}. */
  @Command(
      name = "sample",
      header = "Print one synthesized prompt.",
      description = "Prints the prompt text on stdout and its token and byte counts on stderr.")
  static final class Sample implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--tokens", paramLabel = "<n>", defaultValue = "200",
        description = "Prompt length in tokens (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--category", paramLabel = "<category>", defaultValue = "prose",
        converter = CategoryConverter.class,
        description = "Content category: prose, code, cjk or json (default: ${DEFAULT-VALUE}).")
    ContentCategory category;

    @Option(names = "--tokenizer", paramLabel = "<name>", defaultValue = "cl100k_base",
        converter = TokenizerConverter.class,
        description = "Tokenizer: cl100k_base or o200k_base (default: ${DEFAULT-VALUE}).")
    TokenizerKind tokenizer;

    @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "1",
        description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--index", paramLabel = "<i>", defaultValue = "0",
        description = "Request index within the trace (default: ${DEFAULT-VALUE}).")
    long index;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (tokens < 0) {
        throw new BadInputException(
            "--tokens " + tokens + " is not a non-negative integer");
      }
      SynthesizedPrompt p = new PromptSynthesizer(tokenizer, seed).prompt(tokens, category, index);
      spec.commandLine().getOut().println(p.text());
      spec.commandLine().getErr().printf(Locale.US, "%d tokens (%s), %d UTF-8 bytes, %.2f bytes"
          + "/token%n", p.tokens(), tokenizer.spelling(), p.utf8Bytes(), p.bytesPerToken());
      return ExitCodes.OK;
    }
  }

  /** {@code poolbench prompt ratios}. */
  @Command(
      name = "ratios",
      header = "Measure each category's bytes per token under each tokenizer.",
      description = "Synthesizes prompts of every category, re-counts them with the tokenizer "
          + "and prints UTF-8 bytes per token next to the figure the papers report.")
  static final class Ratios implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--prompts", paramLabel = "<n>", defaultValue = "32",
        description = "Prompts per category and tokenizer (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--tokens", paramLabel = "<n>", defaultValue = "2048",
        description = "Tokens per prompt (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (prompts < 1 || tokens < 1) {
        throw new BadInputException("--prompts " + prompts + " and --tokens "
            + tokens + " must both be positive integers");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.US, "%-12s %-9s %12s %12s%n", "tokenizer", "category", "bytes/token",
          "paper");
      for (TokenizerKind kind : TokenizerKind.values()) {
        PromptSynthesizer synth = new PromptSynthesizer(kind, 1);
        for (ContentCategory c : ContentCategory.values()) {
          out.printf(Locale.US, "%-12s %-9s %12.3f %12s%n", kind.spelling(), c.spelling(),
              synth.measureBytesPerToken(c, prompts, tokens),
              c.paperBytesPerToken().isPresent()
                  ? String.format(Locale.US, "%.2f", c.paperBytesPerToken().getAsDouble()) : "-");
        }
      }
      return ExitCodes.OK;
    }
  }
}
