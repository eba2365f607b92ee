package io.poolbench.traces.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BuiltinWorkloadsTest {

  private static List<TraceRequest> read(String spec) {
    try (Stream<TraceRequest> s = BuiltinWorkloads.open(spec).open()) {
      return s.toList();
    }
  }

  private static int nearestRank(int[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double interarrivalCv(List<TraceRequest> requests) {
    double[] gaps = new double[requests.size() - 1];
    for (int i = 1; i < requests.size(); i++) {
      gaps[i - 1] = requests.get(i).arrivalNanos() - requests.get(i - 1).arrivalNanos();
    }
    double mean = Arrays.stream(gaps).average().orElseThrow();
    double var = Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).average().orElseThrow();
    return Math.sqrt(var) / mean;
  }

  @Test
  void names_listsTheWorkloads() {
    assertThat(BuiltinWorkloads.names()).containsExactly("azure-conv", "azure-code", "long-mix",
        "shared-prefix", "multi-turn");
  }

  @Test
  void sameSeed_sameTrace_otherSeed_otherTrace() {
    List<TraceRequest> a = read("azure-conv?duration=2m&seed=7");
    List<TraceRequest> b = read("azure-conv?duration=2m&seed=7");
    List<TraceRequest> c = read("azure-conv?duration=2m&seed=8");
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    assertThat(a).isSortedAccordingTo((x, y) -> Long.compare(x.arrivalNanos(), y.arrivalNanos()));
  }

  @Test
  void azureConv_reproducesTheRealTracesLengthsRateAndPoissonArrivals() {
    // The real conv trace: 5.530 req/s, CV 1.09, prompt p50 1,020 / p90 2,735 / p99 4,142,
    // output p50 129 / p90 424, outputs capped at 1,000 (../shared/traces/README.md).
    List<TraceRequest> r = read("azure-conv?duration=4h&seed=1");
    assertThat(r.size() / (4 * 3600.0)).isCloseTo(5.530, within(0.1));
    assertThat(interarrivalCv(r)).isCloseTo(1.0, within(0.05));
    int[] prompt = r.stream().mapToInt(TraceRequest::promptTokens).sorted().toArray();
    int[] output = r.stream().mapToInt(TraceRequest::outputTokens).sorted().toArray();
    assertThat((double) nearestRank(prompt, 0.5)).isCloseTo(1020, within(40.0));
    assertThat((double) nearestRank(prompt, 0.9)).isCloseTo(2735, within(80.0));
    assertThat((double) nearestRank(prompt, 0.99)).isCloseTo(4142, within(250.0));
    assertThat((double) nearestRank(output, 0.5)).isCloseTo(129, within(8.0));
    assertThat((double) nearestRank(output, 0.9)).isCloseTo(424, within(15.0));
    assertThat(output[output.length - 1]).isLessThanOrEqualTo(1000);
    assertThat(r).allMatch(q -> "prose".equals(q.category()));
    // Outputs depend on the prompt (mid-length prompts get long answers): the joint shape shows in
    // the total, p50 1,412 and 85.35% within 2K in the real trace.
    int[] total = r.stream().mapToInt(TraceRequest::totalTokens).sorted().toArray();
    assertThat((double) nearestRank(total, 0.5)).isCloseTo(1412, within(50.0));
    double within2k = r.stream().filter(q -> q.totalTokens() <= 2048).count() / (double) r.size();
    assertThat(within2k).isCloseTo(0.8535, within(0.015));
  }

  @Test
  void azureCode_isBurstyOnOffAtTheRequestedMeanRate() {
    // The real code trace has CV 13.15 and whole silent minutes; ours must be strongly bursty too.
    List<TraceRequest> r = read("azure-code?duration=24h&seed=3");
    assertThat(r.size() / (24 * 3600.0)).isCloseTo(2.567, within(0.25));
    assertThat(interarrivalCv(r)).isGreaterThan(5.0);
    long silentMinutes = silentMinutes(r, Duration.ofHours(24));
    assertThat(silentMinutes).isGreaterThan(24 * 60 / 10);
    int[] prompt = r.stream().mapToInt(TraceRequest::promptTokens).sorted().toArray();
    assertThat((double) nearestRank(prompt, 0.5)).isCloseTo(1469, within(60.0));
    assertThat(prompt[prompt.length - 1]).isLessThanOrEqualTo(7437);
  }

  private static long silentMinutes(List<TraceRequest> r, Duration span) {
    int minutes = (int) span.toMinutes();
    boolean[] busy = new boolean[minutes];
    for (TraceRequest q : r) {
      busy[(int) (q.arrivalNanos() / 60_000_000_000L)] = true;
    }
    long silent = 0;
    for (boolean b : busy) {
      silent += b ? 0 : 1;
    }
    return silent;
  }

  @Test
  void longMix_putsTheLongShareBetween8kAnd64kAndTheRestAtMost8k() {
    List<TraceRequest> r = read("long-mix?rate=50&duration=10m&long-share=0.2&seed=5");
    long longOnes = r.stream().filter(q -> q.totalTokens() > 8192).count();
    assertThat((double) longOnes / r.size()).isCloseTo(0.2, within(0.015));
    assertThat(r).allMatch(q -> q.totalTokens() <= 65_536);
    assertThat(r).filteredOn(q -> q.totalTokens() > 8192).allMatch(q -> "long-prose".equals(q.category()));
    assertThat(r.size() / 600.0).isCloseTo(50, within(2.0));
  }

  @Test
  void longMix_defaultShareIs15Percent() {
    List<TraceRequest> r = read("long-mix?duration=30m");
    long longOnes = r.stream().filter(q -> q.totalTokens() > 8192).count();
    assertThat((double) longOnes / r.size()).isCloseTo(0.15, within(0.02));
  }

  @Test
  void rate_changesArrivalsButNotTheLengthsDrawn() {
    List<TraceRequest> slow = read("azure-conv?rate=2&duration=1m&seed=9");
    List<TraceRequest> fast = read("azure-conv?rate=20&duration=1m&seed=9");
    assertThat(fast.size()).isGreaterThan(slow.size() * 5);
    for (int i = 0; i < slow.size(); i++) {
      assertThat(fast.get(i).promptTokens()).isEqualTo(slow.get(i).promptTokens());
    }
  }

  @Test
  void badSpecs_nameTheValueAndTheExpectedForm() {
    assertThatThrownBy(() -> BuiltinWorkloads.open("azure-chat"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Unknown built-in workload 'azure-chat': expected one of azure-conv, azure-code, long-mix, "
            + "shared-prefix, multi-turn");
    assertThatThrownBy(() -> BuiltinWorkloads.open("azure-conv?rate=fast"))
        .hasMessage("Bad rate 'fast' in builtin:azure-conv?rate=fast: expected a number");
    assertThatThrownBy(() -> BuiltinWorkloads.open("azure-conv?rate=0"))
        .hasMessage("Bad rate '0' in builtin:azure-conv?rate=0: expected a number > 0");
    assertThatThrownBy(() -> BuiltinWorkloads.open("long-mix?long-share=1.5"))
        .hasMessage("Bad long-share '1.5' in builtin:long-mix?long-share=1.5: expected a fraction between 0 and 1");
    assertThatThrownBy(() -> BuiltinWorkloads.open("azure-conv?burst=2"))
        .hasMessage("Unknown parameter 'burst' in builtin:azure-conv?burst=2: expected one of [rate, duration, seed, long-share]");
    assertThatThrownBy(() -> BuiltinWorkloads.open("azure-conv?duration=soon"))
        .hasMessageStartingWith("Bad duration 'soon': expected a number followed by a unit");
  }
}
