package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A run out of heap is named as such, also when a close() re-threw the JVM's shared error. */
class OutOfMemoryMessageTest {

  @Test
  void selfSuppressionAroundAnOutOfMemoryError_isNamedAsOutOfMemory() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    // what try-with-resources throws when close() throws the same preallocated error again
    IllegalArgumentException wrapped = new IllegalArgumentException(
        "Self-suppression not permitted", oom);
    assertThat(Main.outOfMemoryIn(new RuntimeException("outer", wrapped))).isSameAs(oom);
    RuntimeException suppressing = new RuntimeException("run failed");
    suppressing.addSuppressed(oom);
    assertThat(Main.outOfMemoryIn(suppressing)).isSameAs(oom);
    assertThat(Main.outOfMemoryIn(new RuntimeException("other"))).isNull();
    assertThat(Main.outOfMemory(oom)).startsWith("poolbench: out of memory (Java heap space) "
        + "with a ").contains("MiB heap").contains("POOLBENCH_JAVA_OPTS=-Xmx");
  }
}
