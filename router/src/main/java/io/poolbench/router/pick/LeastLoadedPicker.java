package io.poolbench.router.pick;

/**
 * {@code least-requests} and {@code least-tokens}: scans every endpoint (O(n)) for the lowest
 * load, counting outstanding requests or outstanding estimated tokens (token-aware load), plus
 * fresh engine signals. Ties go to the first endpoint after a rotating start, so an idle pool is
 * still spread.
 */
public final class LeastLoadedPicker implements EndpointPicker {

  private final boolean byTokens;
  private final PickerSettings settings;
  // Racy on purpose: a lost update only changes which of several equal endpoints wins, and a
  // plain field avoids an atomic operation per pick.
  private int cursor;

  LeastLoadedPicker(boolean byTokens, PickerSettings settings) {
    this.byTokens = byTokens;
    this.settings = settings;
  }

  @Override
  public String name() {
    return (byTokens ? PickerKind.LEAST_TOKENS : PickerKind.LEAST_REQUESTS).pickerName();
  }

  @Override
  public int pick(Endpoints endpoints, long requestTokens, long nowNanos) {
    int n = endpoints.size();
    int start = cursor;
    if (start >= n || start < 0) {
      start = 0;
    }
    cursor = start + 1 < n ? start + 1 : 0;
    int best = start;
    long bestLoad = Long.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      int i = start + k < n ? start + k : start + k - n;
      long load = byTokens
          ? LoadScores.tokens(endpoints, i, nowNanos, settings)
          : LoadScores.requests(endpoints, i, nowNanos, settings);
      if (load < bestLoad) {
        bestLoad = load;
        best = i;
      }
    }
    return best;
  }
}
