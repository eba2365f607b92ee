package io.poolbench.router.pick;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round-robin}: the next endpoint in turn, skipping ones whose fresh signal reports a
 * saturated KV cache (unless all are).
 */
public final class RoundRobinPicker implements EndpointPicker {

  private final PickerSettings settings;
  private final AtomicLong next = new AtomicLong();

  public RoundRobinPicker(PickerSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return PickerKind.ROUND_ROBIN.pickerName();
  }

  @Override
  public int pick(Endpoints endpoints, long requestTokens, long nowNanos) {
    int n = endpoints.size();
    int first = (int) Long.remainderUnsigned(next.getAndIncrement(), n);
    if (!settings.useSignals()) {
      return first;
    }
    for (int k = 0; k < n; k++) {
      int i = first + k < n ? first + k : first + k - n;
      if (!LoadScores.saturated(endpoints, i, nowNanos, settings)) {
        return i;
      }
    }
    return first;
  }
}
