package io.poolbench.harness.engine;

import io.poolbench.reports.rundir.OutcomeKind;

/** How the engine ended a request, with the HTTP status and message vLLM would send. */
public sealed interface Outcome {

  /** The run-directory category of this outcome. */
  OutcomeKind kind();

  /** The HTTP status a client sees (200 for success). */
  int httpStatus();

  /** All requested tokens were generated ({@code finish_reason} "length" or "stop"). */
  record Completed(int generatedTokens) implements Outcome {
    @Override
    public OutcomeKind kind() {
      return OutcomeKind.OK;
    }

    @Override
    public int httpStatus() {
      return 200;
    }
  }

  /** HTTP 400 for a request that cannot fit {@code max_model_len}; message as vLLM's. */
  record ContextRejected(String message) implements Outcome {
    @Override
    public OutcomeKind kind() {
      return OutcomeKind.REJECTED_CONTEXT;
    }

    @Override
    public int httpStatus() {
      return 400;
    }
  }

  /** HTTP 503 from the opt-in queue cap ({@code --max-num-queued-reqs}). */
  record QueueFull(String message) implements Outcome {
    @Override
    public OutcomeKind kind() {
      return OutcomeKind.REJECTED_OVERLOAD;
    }

    @Override
    public int httpStatus() {
      return 503;
    }
  }

  /** HTTP 500 (or a broken stream) for a request in flight when the engine died. */
  record EngineDead(String cause) implements Outcome {
    /** The message of vLLM's {@code EngineDeadError}. */
    public static final String MESSAGE =
        "EngineCore encountered an issue. See stack trace (above) for the root cause.";

    @Override
    public OutcomeKind kind() {
      return OutcomeKind.ENGINE_FAILURE;
    }

    @Override
    public int httpStatus() {
      return 500;
    }
  }

  /** Connection refused: the instance is down and restarting. */
  record Unavailable() implements Outcome {
    @Override
    public OutcomeKind kind() {
      return OutcomeKind.TRANSPORT_ERROR;
    }

    @Override
    public int httpStatus() {
      return 0;
    }
  }

  /** The client aborted the request (timeout or disconnect); its KV blocks were freed. */
  record Aborted() implements Outcome {
    @Override
    public OutcomeKind kind() {
      return OutcomeKind.TIMEOUT;
    }

    @Override
    public int httpStatus() {
      return 0;
    }
  }
}
