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
}
