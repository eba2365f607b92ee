package io.poolbench.traces.prompt;

import com.knuddels.jtokkit.api.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One category's pieces, tokenized once under one tokenizer, with the sampling weights that make
 * synthesized text hit the category's published bytes-per-token ratio.
 *
 * <p>Calibration: pieces are split into <em>dense</em> ones (more bytes per token than the
 * target ratio) and <em>sparse</em> ones. Drawing a dense piece with probability {@code p} gives
 * an expected ratio {@code (p·Bd + (1-p)·Bs) / (p·Td + (1-p)·Ts)} where B and T are the mean bytes
 * and tokens per piece of each half; {@link #denseShare} solves that for the target. Immutable and
 * shared between threads.
 */
final class PiecePool {

  /** Pieces per pool: enough variety that text does not visibly repeat. */
  static final int POOL_PIECES = 4096;
  static final int OPENER_SAMPLES = 4096;

  private static final Map<TokenizerKind, Map<ContentCategory, PiecePool>> CACHE =
      new ConcurrentHashMap<>();

  final ContentCategory category;
  final Grammar grammar;
  final Encoding encoding;
  final Piece[] dense;
  final Piece[] sparse;
  final double denseShare;
  /** Fewest and most tokens an opener took over {@link #OPENER_SAMPLES} sampled ids. */
  final int minOpenerTokens;
  final int maxOpenerTokens;
  /** Every piece and filler, sorted by token count. */
  final Piece[] fit;
  /** {@code fitUpTo[t]}: how many entries of {@link #fit} have at most {@code t} tokens. */
  final int[] fitUpTo;

  /** A piece of text with its exact token count and UTF-8 length. */
  record Piece(String text, int tokens, int utf8Bytes) {}

  private PiecePool(ContentCategory category, TokenizerKind tokenizer) {
    this.category = category;
    this.grammar = Grammar.of(category);
    this.encoding = tokenizer.encoding();
    SplitMix rng = new SplitMix(0x5EED_0000L + category.ordinal());
    Set<String> texts = new LinkedHashSet<>();
    for (int tries = 0; texts.size() < POOL_PIECES && tries < 4 * POOL_PIECES; tries++) {
      texts.add(grammar.piece(rng));
    }
    List<Piece> pieces = texts.stream().map(this::piece).toList();
    double target = category.paperBytesPerToken().orElse(Double.NaN);
    List<Piece> denseList = new ArrayList<>();
    List<Piece> sparseList = new ArrayList<>();
    for (Piece p : pieces) {
      boolean isDense = Double.isNaN(target) || p.utf8Bytes() > target * p.tokens();
      (isDense ? denseList : sparseList).add(p);
    }
    this.dense = denseList.toArray(Piece[]::new);
    this.sparse = sparseList.toArray(Piece[]::new);
    this.denseShare = Double.isNaN(target) ? 1.0 : share(target);

    List<Piece> all = new ArrayList<>(pieces);
    grammar.fillers().stream().map(this::piece).forEach(all::add);
    all.sort(Comparator.comparingInt(Piece::tokens));
    this.fit = all.toArray(Piece[]::new);
    if (fit[0].tokens() != 1) {
      throw new IllegalStateException("no one-token filler for " + category + " under "
          + tokenizer.spelling() + ": exact counts would be impossible");
    }
    int maxTokens = fit[fit.length - 1].tokens();
    int minOpener = Integer.MAX_VALUE;
    int maxOpener = 0;
    SplitMix ids = new SplitMix(0x1D5L);
    for (int i = 0; i < OPENER_SAMPLES; i++) {
      long id = ids.nextLong();
      for (boolean atStart : new boolean[] {true, false}) {
        int t = encoding.countTokensOrdinary(grammar.opener(id, atStart));
        minOpener = Math.min(minOpener, t);
        maxOpener = Math.max(maxOpener, t);
      }
    }
    this.minOpenerTokens = minOpener;
    this.maxOpenerTokens = maxOpener;
    this.fitUpTo = new int[maxTokens + 1];
    for (int t = 0, i = 0; t <= maxTokens; t++) {
      while (i < fit.length && fit[i].tokens() <= t) {
        i++;
      }
      fitUpTo[t] = i;
    }
  }

  static PiecePool of(ContentCategory category, TokenizerKind tokenizer) {
    return CACHE.computeIfAbsent(tokenizer, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(category, c -> new PiecePool(c, tokenizer));
  }

  /** A random piece from the calibrated mixture. */
  Piece draw(SplitMix rng) {
    Piece[] from = sparse.length == 0 || rng.nextDouble() < denseShare ? dense : sparse;
    return from[rng.nextInt(from.length)];
  }

  /** A random piece of at most {@code maxTokens} (≥ 1) tokens. */
  Piece drawFitting(SplitMix rng, int maxTokens) {
    int n = fitUpTo[Math.min(maxTokens, fitUpTo.length - 1)];
    return fit[rng.nextInt(n)];
  }

  /** The ratio the mixture is expected to produce, in UTF-8 bytes per token. */
  double expectedBytesPerToken() {
    double p = denseShare;
    return (p * meanBytes(dense) + (1 - p) * meanBytes(sparse))
        / (p * meanTokens(dense) + (1 - p) * meanTokens(sparse));
  }

  Piece piece(String text) {
    return new Piece(text, encoding.countTokensOrdinary(text),
        text.getBytes(StandardCharsets.UTF_8).length);
  }

  private double share(double target) {
    if (sparse.length == 0) {
      return 1.0;
    }
    if (dense.length == 0) {
      return 0.0;
    }
    double excessDense = meanBytes(dense) - target * meanTokens(dense);
    double excessSparse = meanBytes(sparse) - target * meanTokens(sparse);
    return -excessSparse / (excessDense - excessSparse);
  }

  private static double meanBytes(Piece[] pieces) {
    long sum = 0;
    for (Piece p : pieces) {
      sum += p.utf8Bytes();
    }
    return pieces.length == 0 ? 0 : (double) sum / pieces.length;
  }

  private static double meanTokens(Piece[] pieces) {
    long sum = 0;
    for (Piece p : pieces) {
      sum += p.tokens();
    }
    return pieces.length == 0 ? 0 : (double) sum / pieces.length;
  }
}
