package io.poolbench.traces;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceDigestTest {

  @Test
  void emptyTrace_isTheFnvOffsetBasis() {
    assertThat(new TraceDigest()).hasToString("fnv1a64:cbf29ce484222325");
  }

  @Test
  void digest_dependsOnEveryFieldAndTheOrder() {
    TraceDigest a = new TraceDigest();
    a.add(TraceRequest.of(0, 10, 5));
    a.add(TraceRequest.of(1_000, 20, 5));
    TraceDigest same = new TraceDigest();
    same.add(TraceRequest.of(0, 10, 5));
    same.add(TraceRequest.of(1_000, 20, 5));
    TraceDigest swapped = new TraceDigest();
    swapped.add(TraceRequest.of(1_000, 20, 5));
    swapped.add(TraceRequest.of(0, 10, 5));
    TraceDigest otherMax = new TraceDigest();
    otherMax.add(TraceRequest.of(0, 10, 5).withMaxTokens(5));
    otherMax.add(TraceRequest.of(1_000, 20, 5));
    assertThat(a.toString()).isEqualTo(same.toString()).isNotEqualTo(swapped.toString())
        .isNotEqualTo(otherMax.toString());
    assertThat(a.requests()).isEqualTo(2);
  }
}
