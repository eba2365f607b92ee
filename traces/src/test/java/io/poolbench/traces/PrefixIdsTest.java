package io.poolbench.traces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefixIdsTest {

  /** FNV-1a 64 over bytes, then the mix: what {@link PrefixIds#key} is documented to compute. */
  private static long reference(String domain, String name) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    long h = 0xCBF29CE484222325L;
    for (byte[] part : new byte[][] {d, {0}, n}) {
      for (byte x : part) {
        h = (h ^ (x & 0xFF)) * 0x100000001B3L;
      }
    }
    return PrefixIds.mix(h);
  }

  @Test
  void key_isFnv1aOfUtf8ThenMix() {
    for (String name : new String[] {"", "a", "session-17", "café", "会话", "😀 emoji"}) {
      assertThat(PrefixIds.key("session", name)).as(name).isEqualTo(reference("session", name));
    }
  }

  @Test
  void key_separatesDomainsAndAvoidsStringHashCodeCollisions() {
    assertThat(PrefixIds.key("session", "a")).isNotEqualTo(PrefixIds.key("prefix", "a"));
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    assertThat(PrefixIds.key("session", "Aa")).isNotEqualTo(PrefixIds.key("session", "BB"));
  }

  @Test
  void ids_arePositiveBelow2To62AndDistinct() {
    Set<Long> ids = new HashSet<>();
    for (int k = 0; k < 200; k++) {
      long key = PrefixIds.key("prefix", "p" + k);
      for (int b = 0; b < 50; b++) {
        long id = PrefixIds.id(key, b);
        assertThat(id).isPositive().isLessThan(1L << 62);
        ids.add(id);
      }
    }
    assertThat(ids).hasSize(200 * 50);
  }

  @Test
  void blocks_ceilAndFloorOf512() {
    assertThat(PrefixIds.blocks(0)).isZero();
    assertThat(PrefixIds.blocks(1)).isEqualTo(1);
    assertThat(PrefixIds.blocks(512)).isEqualTo(1);
    assertThat(PrefixIds.blocks(513)).isEqualTo(2);
    assertThat(PrefixIds.blocks(Integer.MAX_VALUE)).isEqualTo(4_194_304);
    assertThat(PrefixIds.fullBlocks(1023)).isEqualTo(1);
    assertThat(PrefixIds.fullBlocks(1024)).isEqualTo(2);
  }
}
