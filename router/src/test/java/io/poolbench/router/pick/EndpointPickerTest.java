package io.poolbench.router.pick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointPickerTest {

  private static final long NOW = 10_000_000_000L;
  private final Endpoints endpoints = Endpoints.anonymous(4);

  static Stream<PickerKind> kinds() {
    return Stream.of(PickerKind.values());
  }

  @Test
  void leastRequests_picksFewestOutstanding() {
    endpoints.acquire(0, 10);
    endpoints.acquire(1, 10);
    endpoints.acquire(1, 10);
    endpoints.acquire(3, 10);
    EndpointPicker picker = PickerKind.LEAST_REQUESTS.create(PickerSettings.DEFAULTS);
    for (int i = 0; i < 8; i++) {
      assertThat(picker.pick(endpoints, 100, NOW)).isEqualTo(2);
    }
  }

  @Test
  void leastTokens_weighsTokensNotRequests() {
    endpoints.acquire(0, 50_000);
    endpoints.acquire(1, 100);
    endpoints.acquire(1, 100);
    endpoints.acquire(2, 30_000);
    endpoints.acquire(3, 20_000);
    assertThat(PickerKind.LEAST_TOKENS.create(PickerSettings.DEFAULTS).pick(endpoints, 1, NOW))
        .isEqualTo(1);
    assertThat(PickerKind.LEAST_REQUESTS.create(PickerSettings.DEFAULTS).pick(endpoints, 1, NOW))
        .isNotEqualTo(1);
  }

  @Test
  void freshSignal_addsWaitingRequests_staleSignalIsIgnoredAndCounted() {
    EndpointPicker picker = PickerKind.LEAST_REQUESTS.create(PickerSettings.DEFAULTS);
    for (int i = 0; i < 4; i++) {
      endpoints.acquire(i, 1);
    }
    endpoints.signal(0, new LoadSignal(0, 1, 0.1, NOW - 1_000_000));
    endpoints.signal(1, new LoadSignal(9, 1, 0.1, NOW - 1_000_000));
    endpoints.signal(2, new LoadSignal(9, 1, 0.1, NOW - 1_000_000));
    endpoints.signal(3, new LoadSignal(9, 1, 0.1, NOW - 1_000_000));
    assertThat(picker.pick(endpoints, 1, NOW)).isEqualTo(0);
    endpoints.signal(0, new LoadSignal(50, 1, 0.1, NOW - 5_000_000_000L)); // stale: 5 s old
    assertThat(picker.pick(endpoints, 1, NOW)).isEqualTo(0);
    assertThat(endpoints.staleSignals(NOW, PickerSettings.DEFAULTS.maxSignalAgeNanos()))
        .isEqualTo(1);
    assertThat(endpoints.signalAgeNanos(0, NOW)).isEqualTo(5_000_000_000L);
    assertThat(endpoints.signalAgeNanos(0, NOW)).isGreaterThan(
        PickerSettings.DEFAULTS.maxSignalAgeNanos());
    // with signals off only the router's own counts decide: endpoint 1 has fewest requests
    endpoints.release(1, 1);
    endpoints.signal(0, new LoadSignal(0, 1, 0.1, NOW));
    EndpointPicker blind =
        PickerKind.LEAST_REQUESTS.create(PickerSettings.DEFAULTS.withUseSignals(false));
    assertThat(blind.pick(endpoints, 1, NOW)).isEqualTo(1);
    assertThat(picker.pick(endpoints, 1, NOW)).isEqualTo(0); // signals on: 1 has 9 waiting
    assertThat(Endpoints.anonymous(3).missingSignals()).isEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void anyPicker_avoidsSaturatedEndpointsWhileOthersAreFree(PickerKind kind) {
    EndpointPicker picker = kind.create(PickerSettings.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      endpoints.signal(i, new LoadSignal(0, 20, 0.99, NOW));
    }
    endpoints.signal(3, new LoadSignal(0, 20, 0.5, NOW));
    int unsaturated = 0;
    for (int k = 0; k < 60; k++) {
      if (picker.pick(endpoints, 100, NOW) == 3) {
        unsaturated++;
      }
    }
    // p2c sees two candidates, so it finds endpoint 3 only when it draws it (half the pairs);
    // the scanning pickers always find it
    assertThat(unsaturated).isGreaterThanOrEqualTo(kind == PickerKind.POWER_OF_TWO ? 20 : 60);
  }

  @Test
  void roundRobin_cyclesThroughAll() {
    EndpointPicker picker = PickerKind.ROUND_ROBIN.create(PickerSettings.DEFAULTS);
    int[] seen = new int[4];
    for (int i = 0; i < 40; i++) {
      seen[picker.pick(endpoints, 1, NOW)]++;
    }
    assertThat(seen).containsOnly(10);
  }

  @Test
  void powerOfTwo_takesTheLessLoadedOfTwoDistinctCandidates() {
    Endpoints two = Endpoints.anonymous(2);
    two.acquire(0, 1);
    EndpointPicker picker = PickerKind.POWER_OF_TWO.create(PickerSettings.DEFAULTS);
    for (int i = 0; i < 20; i++) {
      assertThat(picker.pick(two, 1, NOW)).isEqualTo(1); // always compares 0 against 1
    }
    Endpoints many = Endpoints.anonymous(64);
    Set<Integer> chosen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      chosen.add(picker.pick(many, 1, NOW));
    }
    assertThat(chosen).hasSizeGreaterThan(60);
  }

  @Test
  void acquireRelease_fromManyThreads_balancesToZero() throws Exception {
    Endpoints shared = Endpoints.anonymous(8);
    EndpointPicker picker = PickerKind.LEAST_TOKENS.create(PickerSettings.DEFAULTS);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          int e = picker.pick(shared, i % 97, NOW);
          shared.acquire(e, i % 97);
          shared.release(e, i % 97);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    for (int i = 0; i < 8; i++) {
      assertThat(shared.outstandingRequests(i)).isZero();
      assertThat(shared.outstandingTokens(i)).isZero();
    }
  }

  @Test
  void named_unknownPicker_listsValidNames() {
    assertThat(PickerKind.named("Least_Tokens")).isEqualTo(PickerKind.LEAST_TOKENS);
    assertThatThrownBy(() -> PickerKind.named("fastest"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Unknown endpoint picker 'fastest'; valid pickers: round-robin, "
            + "least-requests, least-tokens, power-of-two, prefix-affinity");
  }
}
