package io.poolbench.router.pick;

/** Chooses the engine inside a pool; thread-safe and allocation-free. */
public interface EndpointPicker {

  /** The registry name ({@link PickerKind#pickerName()}). */
  String name();

  /**
   * The index of the endpoint that should serve a request of {@code requestTokens} estimated
   * tokens, given {@code endpoints}' load at {@code nowNanos} (the clock signals are stamped
   * with). Does not update the counts: the caller calls {@link Endpoints#acquire} on dispatch.
   */
  int pick(Endpoints endpoints, long requestTokens, long nowNanos);

  /**
   * {@link #pick(Endpoints, long, long)} for a request whose prompt starts with the blocks
   * {@code prefix[0, prefixLength)} (chained block hashes: equal values at depth k mean an equal
   * prompt up to block k). Pickers that ignore prefixes pick as without one.
   */
  default int pick(Endpoints endpoints, long requestTokens, long[] prefix, int prefixLength,
      long nowNanos) {
    return pick(endpoints, requestTokens, nowNanos);
  }

  /**
   * Tells the picker that the request with {@code prefix[0, prefixLength)} went to
   * {@code endpoint} (after health checks, possibly not the endpoint it picked), whose cache will
   * now hold those blocks. Does nothing by default.
   */
  default void dispatched(int endpoint, long[] prefix, int prefixLength) {}
}
