package io.poolbench.router.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.router.RequestView;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PrefixHasherTest {

  private static String text(int chars, long seed) {
    StringBuilder sb = new StringBuilder(chars);
    long x = seed;
    while (sb.length() < chars) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      sb.append((char) ('a' + (int) ((x >>> 33) % 26)));
      if ((x & 7) == 0) {
        sb.append(' ');
      }
    }
    return sb.substring(0, chars);
  }

  private static long[] hash(String s) {
    PrefixHasher h = new PrefixHasher(256, 8).feed(s);
    return Arrays.copyOf(h.blocks(), h.count());
  }

  @Test
  void onlyFullBlocksCount_upToTheLimit() {
    assertThat(hash(text(255, 1))).isEmpty();
    assertThat(hash(text(256, 1))).hasSize(1);
    assertThat(hash(text(256 * 3 + 100, 1))).hasSize(3);
    assertThat(hash(text(256 * 20, 1))).hasSize(8);
  }

  @Test
  void equalPrefixes_equalChains_andTheChainForksWhereTheTextDoes() {
    String shared = text(256 * 2, 7);
    long[] a = hash(shared + text(256 * 2, 8));
    long[] b = hash(shared + text(256 * 2, 9));
    assertThat(a).hasSize(4);
    assertThat(b).hasSize(4);
    assertThat(Arrays.copyOf(a, 2)).isEqualTo(Arrays.copyOf(b, 2));
    assertThat(a[2]).isNotEqualTo(b[2]);
    assertThat(a[3]).isNotEqualTo(b[3]);
    // a fork in block 0 changes every later hash, even over identical later text
    String later = text(256 * 3, 3);
    long[] c = hash("X" + text(255, 4) + later);
    long[] d = hash("Y" + text(255, 4) + later);
    for (int k = 0; k < 4; k++) {
      assertThat(c[k]).isNotEqualTo(d[k]);
    }
  }

  @Test
  void segmentationDoesNotMatter() {
    String s = text(256 * 5 + 17, 5);
    long[] whole = hash(s);
    PrefixHasher h = new PrefixHasher(256, 8);
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i += 13) {
      h.feed(c, i, Math.min(13, c.length - i));
    }
    assertThat(Arrays.copyOf(h.blocks(), h.count())).isEqualTo(whole);
  }

  @Test
  void theInspectorFeedsPromptTextOnly_acrossMessages() {
    String system = text(PrefixHasher.DEFAULT_BLOCK_CHARS, 11);
    String user1 = text(PrefixHasher.DEFAULT_BLOCK_CHARS, 12);
    String user2 = text(PrefixHasher.DEFAULT_BLOCK_CHARS, 13);
    long[] one = inspect("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\","
        + "\"content\":\"" + system + "\"},{\"role\":\"user\",\"content\":\"" + user1 + "\"}]}");
    long[] two = inspect("{\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\""
        + system + "\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + user2
        + "\"}]}],\"model\":\"m\"}");
    assertThat(one).hasSize(2);
    assertThat(two).hasSize(2);
    assertThat(one[0]).isEqualTo(two[0]); // same system prompt, other fields in another order
    assertThat(one[1]).isNotEqualTo(two[1]);
    // completions prompt with the same leading text: same first block
    long[] three = inspect("{\"prompt\":\"" + system + user1 + "\"}");
    assertThat(three).containsExactly(one);
  }

  private static long[] inspect(String json) {
    PrefixHasher h = new PrefixHasher();
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    new RequestBodyInspector().inspect(body, 0, body.length, new RequestView(), null, h);
    return Arrays.copyOf(h.blocks(), h.count());
  }

  @Test
  void badSizes_areRefused() {
    assertThatThrownBy(() -> new PrefixHasher(100, 4)).hasMessageContaining("blockChars (100)");
    assertThatThrownBy(() -> new PrefixHasher(256, 0)).hasMessageContaining("maxBlocks (0)");
  }
}
