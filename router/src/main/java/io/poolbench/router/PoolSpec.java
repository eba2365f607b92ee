package io.poolbench.router;

import io.poolbench.traces.BadInputException;
import java.util.Objects;

/**
 * One pool of identically configured vLLM engines, as the router sees it.
 *
 * @param name pool name used in metrics and messages (for example {@code short}, {@code long})
 * @param maxModelLen the engines' {@code max_model_len} in tokens: a hard limit on prompt plus
 *     output that no policy routes an estimate past
 * @param capacity how many requests the pool serves at once (for example engines × max_num_seqs);
 *     the denominator of pool pressure, see {@link PoolPressure}
 */
public record PoolSpec(String name, int maxModelLen, int capacity) {

  public PoolSpec {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new BadInputException("pool name must not be blank");
    }
    if (maxModelLen <= 0) {
      throw new BadInputException(
          "pool '" + name + "' max-model-len (" + maxModelLen + ") must be > 0");
    }
    if (capacity <= 0) {
      throw new BadInputException("pool '" + name + "' capacity (" + capacity + ") must be > 0");
    }
  }

  /** True when a request of {@code totalTokens} fits into this pool's context window. */
  public boolean fits(long totalTokens) {
    return totalTokens <= maxModelLen;
  }
}
