package io.poolbench.traces.transform;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Quantities;
import io.poolbench.traces.TraceRequest;

/**
 * The output budget ({@code max_tokens}) a client declares for each request
 * ({@code --max-tokens actual|fixed:N|factor:X}). The papers route on prompt + max_tokens, so
 * this is how a trace expresses client intent. A request never generates more than its budget:
 * output tokens are capped at it. Budgets are at least 1, because vLLM rejects
 * {@code max_tokens < 1}.
 */
public sealed interface MaxTokensPolicy {
  /** The grammar, as error messages show it. */
  String GRAMMAR = "actual, fixed:N (N >= 1) or factor:X (X > 0)";

  /** The budget for one request, given its actual output length. */
  int budget(int outputTokens);

  /** The request with its declared budget set and its output capped at the budget. */
  default TraceRequest apply(TraceRequest request) {
    int budget = budget(request.outputTokens());
    int output = Math.min(request.outputTokens(), budget);
    return request.withTokens(request.promptTokens(), output).withMaxTokens(budget);
  }

  /** max_tokens = the actual output length. */
  record Actual() implements MaxTokensPolicy {
    @Override
    public int budget(int outputTokens) {
      return Math.max(1, outputTokens);
    }
  }

  /** max_tokens = N for every request. */
  record Fixed(int tokens) implements MaxTokensPolicy {
    public Fixed {
      if (tokens < 1) {
        throw new BadInputException("--max-tokens fixed:" + tokens + " must be >= 1");
      }
    }

    @Override
    public int budget(int outputTokens) {
      return tokens;
    }
  }

  /** max_tokens = ceil(actual output × X). */
  record Factor(double factor) implements MaxTokensPolicy {
    public Factor {
      if (!(factor > 0) || !Double.isFinite(factor)) {
        throw new BadInputException("--max-tokens factor:" + factor + " must be > 0");
      }
    }

    @Override
    public int budget(int outputTokens) {
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(outputTokens * factor)));
    }
  }

  /** Parses {@code actual}, {@code fixed:N} or {@code factor:X}. */
  static MaxTokensPolicy parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.equalsIgnoreCase("actual")) {
      return new Actual();
    }
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String value = colon < 0 ? "" : s.substring(colon + 1);
    try {
      if (kind.equalsIgnoreCase("fixed") && colon > 0) {
        return new Fixed((int) Math.min(Integer.MAX_VALUE,
            Quantities.longAtLeast(value, 1, "--max-tokens fixed:N")));
      }
      if (kind.equalsIgnoreCase("factor") && colon > 0) {
        return new Factor(Quantities.positive(value, "--max-tokens factor:X"));
      }
    } catch (BadInputException e) {
      // reported below with the whole grammar
    }
    throw new BadInputException("--max-tokens '" + text + "' is not one of " + GRAMMAR);
  }
}
