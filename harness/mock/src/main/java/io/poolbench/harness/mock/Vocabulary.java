package io.poolbench.harness.mock;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import io.poolbench.traces.prompt.TokenizerKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Real vocabulary tokens for generated text: the first {@value #SIZE} ids of a tokenizer whose
 * decoded text is a space and 3 to 9 lower-case ASCII letters (" the", " model"), so output text
 * needs no JSON escaping and reads as words. Built once per tokenizer by decoding every id.
 */
public final class Vocabulary {
  /** Tokens kept per tokenizer. */
  public static final int SIZE = 4096;

  private static final Map<TokenizerKind, Vocabulary> CACHE = new EnumMap<>(TokenizerKind.class);

  private final int[] ids;
  private final String[] texts;

  private Vocabulary(int[] ids, String[] texts) {
    this.ids = ids;
    this.texts = texts;
  }

  /** The vocabulary of {@code kind}, built on first use. */
  public static synchronized Vocabulary of(TokenizerKind kind) {
    return CACHE.computeIfAbsent(kind, k -> build(k.encoding()));
  }

  private static Vocabulary build(Encoding encoding) {
    List<Integer> ids = new ArrayList<>(SIZE);
    List<String> texts = new ArrayList<>(SIZE);
    IntArrayList one = new IntArrayList(1);
    one.add(0);
    for (int id = 0; id < 300_000 && ids.size() < SIZE; id++) {
      one.set(0, id);
      String text;
      try {
        text = new String(encoding.decodeBytes(one), StandardCharsets.UTF_8);
      } catch (RuntimeException notAToken) {
        continue;
      }
      if (isWord(text)) {
        ids.add(id);
        texts.add(text);
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalStateException("no word tokens in " + encoding.getName());
    }
    return new Vocabulary(ids.stream().mapToInt(Integer::intValue).toArray(),
        texts.toArray(String[]::new));
  }

  private static boolean isWord(String s) {
    int n = s.length();
    if (n < 4 || n > 10 || s.charAt(0) != ' ') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  /** Tokens available. */
  public int size() {
    return ids.length;
  }

  /** The token id at {@code index} (0 .. size-1). */
  public int id(int index) {
    return ids[index];
  }

  /** The decoded text of the token at {@code index}. */
  public String text(int index) {
    return texts[index];
  }

  /** Appends the text of {@code count} tokens drawn from {@code rng} (advanced in place). */
  public void append(StringBuilder out, long[] rng, int count) {
    long s = rng[0];
    for (int i = 0; i < count; i++) {
      s += 0x9E3779B97F4A7C15L;
      long z = s;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      out.append(texts[(int) ((z >>> 1) % texts.length)]);
    }
    rng[0] = s;
  }
}
