package io.poolbench.traces.prompt;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A real BPE tokenizer from jtokkit: OpenAI's cl100k_base (GPT-3.5/4; Llama 3's 128K vocabulary
 * extends it) or o200k_base (GPT-4o).
 */
public enum TokenizerKind {
  /** cl100k_base, 100,256 tokens. */
  CL100K_BASE(EncodingType.CL100K_BASE),
  /** o200k_base, 200,019 tokens. */
  O200K_BASE(EncodingType.O200K_BASE);

  private final EncodingType type;

  TokenizerKind(EncodingType type) {
    this.type = type;
  }

  /** The jtokkit encoding (thread-safe, loaded once per JVM). */
  public Encoding encoding() {
    return Registry.INSTANCE.getEncoding(type);
  }

  /** The spelling used in flags and reports ({@code cl100k_base}). */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Maps a spelling (case-insensitive, {@code -} or {@code _}) to a tokenizer.
   *
   * @throws BadInputException when {@code s} names no tokenizer
   */
  public static TokenizerKind named(String s) {
    String wanted = s == null ? "" : s.strip().replace('-', '_');
    for (TokenizerKind k : values()) {
      if (k.name().equalsIgnoreCase(wanted)) {
        return k;
      }
    }
    throw new BadInputException("Unknown tokenizer '" + s + "'; expected one of "
        + Arrays.stream(values()).map(TokenizerKind::spelling).collect(Collectors.joining(", ")));
  }

  /** Holder so the registry (and its vocabulary files) load on first use only. */
  private static final class Registry {
    static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
  }
}
