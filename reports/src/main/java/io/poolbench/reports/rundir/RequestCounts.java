package io.poolbench.reports.rundir;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code requests} object of summary.json: how many arrivals ended in each outcome. */
public record RequestCounts(
    @JsonProperty("total") long total,
    @JsonProperty("ok") long ok,
    @JsonProperty("rejected_context") long rejectedContext,
    @JsonProperty("rejected_overload") long rejectedOverload,
    @JsonProperty("engine_failure") long engineFailure,
    @JsonProperty("timeout") long timeout,
    @JsonProperty("client_error") long clientError,
    @JsonProperty("transport_error") long transportError,
    @JsonProperty("not_sent") long notSent) {

  /** Counts from an array indexed by {@link OutcomeKind#ordinal()}. */
  public static RequestCounts of(long[] byKind) {
    long total = 0;
    for (long c : byKind) {
      total += c;
    }
    return new RequestCounts(total, byKind[OutcomeKind.OK.ordinal()],
        byKind[OutcomeKind.REJECTED_CONTEXT.ordinal()],
        byKind[OutcomeKind.REJECTED_OVERLOAD.ordinal()],
        byKind[OutcomeKind.ENGINE_FAILURE.ordinal()], byKind[OutcomeKind.TIMEOUT.ordinal()],
        byKind[OutcomeKind.CLIENT_ERROR.ordinal()], byKind[OutcomeKind.TRANSPORT_ERROR.ordinal()],
        byKind[OutcomeKind.NOT_SENT.ordinal()]);
  }

  /** The count for one outcome. */
  public long of(OutcomeKind kind) {
    return switch (kind) {
      case OK -> ok;
      case REJECTED_CONTEXT -> rejectedContext;
      case REJECTED_OVERLOAD -> rejectedOverload;
      case ENGINE_FAILURE -> engineFailure;
      case TIMEOUT -> timeout;
      case CLIENT_ERROR -> clientError;
      case TRANSPORT_ERROR -> transportError;
      case NOT_SENT -> notSent;
    };
  }
}
