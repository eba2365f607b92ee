package io.poolbench.traces.transform;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How arrivals are timed ({@code --arrival}): the trace's own, or re-timed at a rate. */
public enum ArrivalProcess {
  /** The trace's own arrival times (time-scaled by {@code --request-rate} when given). */
  TRACE,
  /** Exponential gaps with mean 1/R: a Poisson process. */
  POISSON,
  /**
   * Gamma gaps with shape B (burstiness) and scale 1/(R·B), as {@code vllm bench serve} draws
   * them: mean 1/R, coefficient of variation 1/sqrt(B); B = 1 is Poisson, B &lt; 1 burstier.
   */
  GAMMA,
  /** Equal gaps of 1/R. */
  CONSTANT;

  /** Maps {@code trace}, {@code poisson}, {@code gamma} or {@code constant} (any case). */
  public static ArrivalProcess named(String name) {
    for (ArrivalProcess value : values()) {
      if (value.name().equalsIgnoreCase(name.trim())) {
        return value;
      }
    }
    throw new BadInputException("Unknown --arrival '" + name + "': expected one of "
        + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", ")));
  }
}
