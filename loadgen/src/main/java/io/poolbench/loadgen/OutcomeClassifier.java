package io.poolbench.loadgen;

import io.poolbench.loadgen.http.ExchangeResult;
import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.router.ContextLengthErrors;

/**
 * Decides how one exchange ended, following vLLM's OpenAI server: a context-length problem is an
 * HTTP 400 whose message says "maximum context length" (every vLLM version's wording has it),
 * or a derived {@code max_tokens} below 1; 429 and 503 are overload; 500, an error event inside a
 * 200 stream, or a stream cut off before {@code [DONE]} are engine failures.
 */
public final class OutcomeClassifier {

  private OutcomeClassifier() {}

  /** The one outcome of {@code r}. */
  public static OutcomeKind classify(ExchangeResult r) {
    if (r.timedOut()) {
      return OutcomeKind.TIMEOUT;
    }
    int status = r.status();
    if (status == 0) {
      return OutcomeKind.TRANSPORT_ERROR;
    }
    if (status == 200) {
      boolean clean = r.stream() != null
          ? r.stream().completed() && r.transportError() == null
          : r.transportError() == null && r.body() != null && r.body().parseable()
              && r.body().errorMessage() == null;
      return clean ? OutcomeKind.OK : OutcomeKind.ENGINE_FAILURE;
    }
    if (status == 400 && isContextLengthError(r.errorMessage())) {
      return OutcomeKind.REJECTED_CONTEXT;
    }
    if (status == 429 || status == 503) {
      return OutcomeKind.REJECTED_OVERLOAD;
    }
    if (status >= 500) {
      return OutcomeKind.ENGINE_FAILURE;
    }
    return OutcomeKind.CLIENT_ERROR;
  }

  /** True for the texts vLLM uses when prompt (+ max_tokens) exceeds max_model_len. */
  public static boolean isContextLengthError(String message) {
    return ContextLengthErrors.isContextLengthError(message);
  }
}
