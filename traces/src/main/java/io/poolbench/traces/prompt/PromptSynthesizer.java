package io.poolbench.traces.prompt;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceRequest;
import java.util.List;
import java.util.Objects;

/**
 * Synthesizes prompt text whose token count under a real BPE tokenizer is exactly a requested
 * number, in a content category, deterministically from a seed and a request index.
 *
 * <p><b>Structure.</b> A prompt is a sequence of <em>segments</em>: first one segment per Mooncake
 * prefix block the request carries ({@link #BLOCK_TOKENS} tokens each, the last one possibly
 * partial), then one segment for the rest, which belongs to the request alone. A segment starts
 * with an opener that encodes a 64-bit id (eight words of eight bits each), then pieces from the
 * category's pool until its token budget is spent exactly. A block segment's id comes from the
 * block's hash and position, so requests sharing prefix hashes share those blocks' text and token
 * ids; the request's own segment's id is a bijection of (seed, request index), so without prefix
 * hashes two different request indexes never produce the same beginning whenever the opener fits the target (8 to 17
 * tokens, see {@link #uniqueAboveTokens}; shorter prompts are drawn from the same seeded
 * generator but may collide). Without prefix hashes, two prompts differ within their openers;
 * since each opener word carries 8 random-looking bits, in practice they differ within the first
 * few tokens, inside vLLM's first 16-token cache block (the tests check 3,000 requests per
 * category and tokenizer).
 *
 * <p><b>Exactness.</b> Every piece, filler and opener ends where the tokenizer's pre-tokenization
 * always splits, and BPE never merges across those chunks, so the counts of the parts add up
 * exactly; so do block boundaries: block {@code i} always covers tokens {@code [512 i, 512 (i+1))}.
 * Finishing picks pieces that fit the remaining budget; every pool has one-token fillers, so the
 * budget always closes. Only the short opener is tokenized per segment. With assertions enabled
 * ({@code -ea}, as in the tests) every prompt is also re-counted with the tokenizer.
 *
 * <p><b>Thread safety.</b> Instances are immutable and safe to share between threads.
 */
public final class PromptSynthesizer {

  /** Mooncake's prefix block size, in tokens. */
  public static final int BLOCK_TOKENS = 512;

  private static final long TAIL_SALT = 0x7A11_5EEDL;
  private static final long BLOCK_SALT = 0xB10C_5EEDL;

  private final TokenizerKind tokenizer;
  private final long seed;
  private final long seedSalt;
  private final PiecePool[] pools;

  /**
   * Creates a synthesizer; the first one per tokenizer loads the vocabulary and builds and
   * tokenizes the piece pools (1 to 2 s on a busy machine), later ones reuse them.
   */
  public PromptSynthesizer(TokenizerKind tokenizer, long seed) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.seed = seed;
    this.seedSalt = SplitMix.mix(seed ^ 0x5DEECE66DL);
    ContentCategory[] categories = ContentCategory.values();
    this.pools = new PiecePool[categories.length];
    for (ContentCategory c : categories) {
      pools[c.ordinal()] = PiecePool.of(c, tokenizer);
    }
  }

  public TokenizerKind tokenizer() {
    return tokenizer;
  }

  public long seed() {
    return seed;
  }

  /** The chat template whose overhead chat prompts add (Llama 3 style). */
  public ChatTemplate chatTemplate() {
    return ChatTemplate.LLAMA3;
  }

  /**
   * Text with exactly {@code targetTokens} tokens, for {@code /v1/completions}.
   *
   * @param targetTokens token count (≥ 0)
   * @param requestIndex the request's index in its trace; with the seed it fixes the text
   */
  public String text(int targetTokens, ContentCategory category, long requestIndex) {
    return prompt(targetTokens, category, requestIndex).text();
  }

  /**
   * Text with exactly {@code request.promptTokens()} tokens whose leading 512-token blocks follow
   * {@code request.prefixHashes()}.
   */
  public String text(TraceRequest request, ContentCategory category, long requestIndex) {
    return prompt(request.promptTokens(), request.prefixHashes(), category, requestIndex).text();
  }

  /**
   * The user-message content for a chat request whose total prompt, template included, is
   * {@code request.promptTokens()}: {@link ChatTemplate#contentTokens(int) that many minus the
   * template overhead}, with the request's prefix blocks. Shared prefixes stay shared: every chat
   * prompt puts the same template tokens before its content.
   *
   * @throws BadInputException when the prompt is shorter than the template overhead
   */
  public SynthesizedPrompt chatContent(TraceRequest request, ContentCategory category,
      long requestIndex) {
    int content;
    try {
      content = chatTemplate().contentTokens(request.promptTokens());
    } catch (BadInputException e) {
      throw new BadInputException(request.location() + ": " + e.getMessage(), e);
    }
    return prompt(content, request.prefixHashes(), category, requestIndex);
  }

  /** Like {@link #text(int, ContentCategory, long)}, with the token and byte counts. */
  public SynthesizedPrompt prompt(int targetTokens, ContentCategory category, long requestIndex) {
    return prompt(targetTokens, null, category, requestIndex);
  }

  /**
   * The prompt for a request of {@code targetTokens} tokens whose first blocks carry the given
   * Mooncake prefix hashes (null or empty for none; hashes beyond the prompt's length are unused).
   */
  public SynthesizedPrompt prompt(int targetTokens, long[] prefixHashes,
      ContentCategory category, long requestIndex) {
    if (targetTokens < 0) {
      throw new IllegalArgumentException("targetTokens (" + targetTokens + ") must be >= 0");
    }
    PiecePool pool = pools[category.ordinal()];
    StringBuilder sb = new StringBuilder(targetTokens * 5 + 16);
    int bytes = 0;
    int done = 0;
    int blocks = prefixHashes == null ? 0 : prefixHashes.length;
    for (int i = 0; i < blocks && done < targetTokens; i++) {
      int blockTokens = Math.min(BLOCK_TOKENS, targetTokens - done);
      bytes += appendSegment(sb, pool, blockId(prefixHashes[i], i), blockTokens, done == 0);
      done += blockTokens;
    }
    if (done < targetTokens) {
      bytes += appendSegment(sb, pool, requestId(requestIndex), targetTokens - done, done == 0);
    }
    String text = sb.toString();
    assert countTokens(text) == targetTokens
        : "synthesized " + countTokens(text) + " tokens, wanted " + targetTokens;
    return new SynthesizedPrompt(text, targetTokens, bytes);
  }

  /** Counts {@code text}'s tokens under this synthesizer's tokenizer (special tokens as text). */
  public int countTokens(String text) {
    return pools[0].encoding.countTokensOrdinary(text);
  }

  /**
   * Counts a chat request's prompt tokens as an engine would: the contents' tokens plus the
   * {@linkplain #chatTemplate() template overhead} for that many messages.
   */
  public int countChatPromptTokens(List<String> messageContents) {
    int content = 0;
    for (String m : messageContents) {
      content += countTokens(m);
    }
    return chatTemplate().promptTokens(messageContents.size(), content);
  }

  /**
   * The most tokens an opener of this category took over 4,096 sampled ids: from about this many
   * tokens on, the opener fits and distinct request indexes give distinct texts (the guarantee
   * holds for any target at least as large as the request's own opener).
   */
  public int uniqueAboveTokens(ContentCategory category) {
    return pools[category.ordinal()].maxOpenerTokens;
  }

  /**
   * Measures the category's ratio: UTF-8 bytes over tokens (re-counted with the tokenizer) of
   * {@code prompts} prompts of {@code tokensEach} tokens.
   */
  public double measureBytesPerToken(ContentCategory category, int prompts, int tokensEach) {
    long bytes = 0;
    long tokens = 0;
    for (int i = 0; i < prompts; i++) {
      SynthesizedPrompt p = prompt(tokensEach, category, Long.MAX_VALUE - i);
      bytes += p.utf8Bytes();
      tokens += countTokens(p.text());
    }
    return (double) bytes / tokens;
  }

  private long requestId(long requestIndex) {
    // requestIndex + salt is a bijection of the index, and mix() is a bijection: distinct
    // indexes get distinct ids and therefore distinct openers.
    return SplitMix.mix(requestIndex + seedSalt);
  }

  private long blockId(long hash, int position) {
    return SplitMix.mix(SplitMix.mix(hash ^ BLOCK_SALT) + position * 0x9E3779B97F4A7C15L
        + seedSalt);
  }

  /** Appends a segment of exactly {@code tokens} tokens; returns its UTF-8 length. */
  private static int appendSegment(StringBuilder sb, PiecePool pool, long id, int tokens,
      boolean atTextStart) {
    SplitMix rng = new SplitMix(id ^ TAIL_SALT);
    int left = tokens;
    int bytes = 0;
    if (left >= pool.minOpenerTokens) {
      PiecePool.Piece opener = pool.piece(pool.grammar.opener(id, atTextStart));
      if (opener.tokens() <= left) {
        sb.append(opener.text());
        left -= opener.tokens();
        bytes += opener.utf8Bytes();
      }
    }
    while (left > 0) {
      PiecePool.Piece p = pool.draw(rng);
      if (p.tokens() > left) {
        p = pool.drawFitting(rng, left);
      }
      sb.append(p.text());
      left -= p.tokens();
      bytes += p.utf8Bytes();
    }
    return bytes;
  }
}
