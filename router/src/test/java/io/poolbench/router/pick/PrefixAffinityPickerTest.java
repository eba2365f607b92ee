package io.poolbench.router.pick;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefixAffinityPickerTest {

  private static final long NOW = 10_000_000_000L;
  private final Endpoints endpoints = Endpoints.anonymous(4);
  private final PrefixAffinityPicker picker = (PrefixAffinityPicker)
      PickerKind.PREFIX_AFFINITY.create(PickerSettings.DEFAULTS);

  private int dispatch(long[] prefix) {
    int e = picker.pick(endpoints, 100, prefix, prefix.length, NOW);
    endpoints.acquire(e, 100);
    picker.dispatched(e, prefix, prefix.length);
    return e;
  }

  @Test
  void aKnownPrefix_goesBackToTheEndpointThatServedIt() {
    long[] conversation = {11, 12, 13};
    int first = dispatch(conversation);
    endpoints.release(first, 100);
    // other traffic lands elsewhere and finishes
    for (int i = 0; i < 6; i++) {
      int e = dispatch(new long[] {1000 + i});
      endpoints.release(e, 100);
    }
    // the next turn carries the first turn's blocks and one more
    assertThat(picker.pick(endpoints, 100, new long[] {11, 12, 13, 14}, 4, NOW)).isEqualTo(first);
    // a request sharing only the first block follows it too
    assertThat(picker.pick(endpoints, 100, new long[] {11, 99}, 2, NOW)).isEqualTo(first);
    assertThat(picker.hits()).isEqualTo(2);
  }

  @Test
  void theDeepestMatchWins() {
    long[] a = {1, 2};
    long[] b = {1, 2, 3, 4};
    int ea = dispatch(a);
    endpoints.release(ea, 100);
    // force b elsewhere: load ea up beyond the bound, then let it drain
    for (int i = 0; i < 3; i++) {
      endpoints.acquire(ea, 100);
    }
    int eb = dispatch(b);
    assertThat(eb).isNotEqualTo(ea);
    endpoints.release(eb, 100);
    for (int i = 0; i < 3; i++) {
      endpoints.release(ea, 100);
    }
    // block 2 now points at eb (last served), and depth 4 at eb: {1,2,3,4,5} follows eb
    assertThat(picker.pick(endpoints, 100, new long[] {1, 2, 3, 4, 5}, 5, NOW)).isEqualTo(eb);
  }

  @Test
  void loadBeyondTheBound_fallsBackToLeastRequests() {
    long[] prefix = {7, 8};
    int home = dispatch(prefix);
    // home has 1; others 0: total 1, bound ceil(1.25 × 2 / 4) = 1: still home
    assertThat(picker.pick(endpoints, 100, prefix, 2, NOW)).isEqualTo(home);
    endpoints.acquire(home, 100); // home 2: bound ceil(1.25 × 3 / 4) = 1 < 2
    int other = picker.pick(endpoints, 100, prefix, 2, NOW);
    assertThat(other).isNotEqualTo(home);
    assertThat(endpoints.outstandingRequests(other)).isZero();
    assertThat(picker.overLoad()).isEqualTo(1);
    // with everybody equally busy the bound grows with the mean and affinity holds again
    for (int e = 0; e < 4; e++) {
      while (endpoints.outstandingRequests(e) < 4) {
        endpoints.acquire(e, 100);
      }
    }
    assertThat(picker.pick(endpoints, 100, prefix, 2, NOW)).isEqualTo(home);
  }

  @Test
  void aSaturatedEndpoint_isNotHeldTo() {
    long[] prefix = {5};
    int home = dispatch(prefix);
    endpoints.release(home, 100);
    endpoints.signal(home, new LoadSignal(0, 0, 0.99, NOW));
    assertThat(picker.pick(endpoints, 100, prefix, 1, NOW)).isNotEqualTo(home);
  }

  @Test
  void noPrefix_isLeastRequests() {
    endpoints.acquire(0, 1);
    endpoints.acquire(1, 1);
    endpoints.acquire(3, 1);
    assertThat(picker.pick(endpoints, 100, new long[0], 0, NOW)).isEqualTo(2);
    assertThat(picker.pick(endpoints, 100, NOW)).isEqualTo(2);
    assertThat(picker.misses()).isEqualTo(2);
  }

  @Test
  void unknownPrefixes_spreadLikeLeastRequests() {
    int[] seen = new int[4];
    for (int i = 0; i < 8; i++) {
      seen[dispatch(new long[] {100 + i, 200 + i})]++;
    }
    assertThat(seen).containsOnly(2);
  }

  @Test
  void anEndpointIndexBeyondThePool_isIgnored() {
    PrefixAffinityPicker shared = new PrefixAffinityPicker(PickerSettings.DEFAULTS, 1 << 10, 1.25);
    shared.dispatched(7, new long[] {42}, 1); // recorded by a larger pool
    Endpoints two = Endpoints.anonymous(2);
    two.acquire(0, 1);
    assertThat(shared.pick(two, 1, new long[] {42}, 1, NOW)).isEqualTo(1);
  }
}
