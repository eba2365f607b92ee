package io.poolbench.traces.format.generic;

import io.poolbench.traces.PrefixIds;
import io.poolbench.traces.format.Row;
import io.poolbench.traces.format.RowException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Derives a generic row's prefix-block ids from its optional {@code session_id}, {@code prefix_id}
 * and {@code prefix_tokens}, with the conventions of the built-in prefix workloads: one id per
 * {@value PrefixIds#BLOCK_TOKENS} prompt tokens, ceil(prompt / 512) ids in all.
 *
 * <ul>
 *   <li>The floor(prefix_tokens / 512) full blocks of a prefix get ids from (prefix_id, block), the
 *       same in every row with that prefix_id.
 *   <li>The remaining blocks b get ids from (session_id, b) when the row has a session, so that
 *       turn k + 1, whose prompt starts with turn k's, repeats every id of turn k; otherwise ids of
 *       their own (from a per-file row counter).
 * </ul>
 *
 * <p>Keeps, per session, the arrival and line of its last row (three longs in an open-addressing
 * table keyed by the session's 64-bit key), so memory grows with sessions, not rows. One instance
 * per opened file.
 */
final class PrefixColumns {
  private static final long ROW_KEY = PrefixIds.key("row", "");
  // open addressing; a key of 0 is stored as EMPTY_STAND_IN (0 marks a free slot)
  private static final long EMPTY_STAND_IN = 0x9E3779B97F4A7C15L;

  private final ColumnMapping mapping;
  private long rows;
  private long[] keys = new long[64];
  private long[] times = new long[64];
  private long[] lines = new long[64];
  private int size;

  PrefixColumns(ColumnMapping mapping) {
    this.mapping = mapping;
  }

  /**
   * Checks the prefix fields of a parsed row and sets {@code row.prefixHashes} from them.
   *
   * @param session the row's session id, or null
   * @param prefixId the row's prefix id, or null
   * @param prefixTokens the row's prefix length, or -1
   * @throws RowException for hash ids given beside a session or prefix, a prefix id without a
   *     length (or the reverse), a prefix longer than the prompt, or (fatal) a session whose row
   *     arrives before its previous row
   */
  void apply(Row row, String session, String prefixId, int prefixTokens) throws RowException {
    if (session == null && prefixId == null && prefixTokens < 0) {
      return;
    }
    if (row.prefixHashes != null && (session != null || prefixId != null)) {
      String other = session != null && prefixId != null
          ? mapping.session() + " and " + mapping.prefixId()
          : session != null ? mapping.session() : mapping.prefixId();
      throw new RowException(mapping.hashIds() + " and " + other + " are both given: a row's "
          + "hash ids are either listed or derived from " + mapping.session() + "/"
          + mapping.prefixId() + ", not both");
    }
    if (prefixId != null && prefixTokens < 0) {
      throw new RowException(mapping.prefixId() + " '" + prefixId + "' has no "
          + mapping.prefixTokens() + ": give both or neither");
    }
    if (prefixId == null && prefixTokens >= 0) {
      throw new RowException(mapping.prefixTokens() + " " + prefixTokens + " has no "
          + mapping.prefixId() + ": give both or neither");
    }
    if (prefixTokens > row.promptTokens) {
      throw new RowException(mapping.prefixTokens() + " " + prefixTokens + " is more than "
          + mapping.prompt() + " " + row.promptTokens + ": the prefix is part of the prompt");
    }
    long sessionKey = 0;
    int slot = -1;
    if (session != null) {
      sessionKey = PrefixIds.key("session", session);
      slot = slot(sessionKey);
      if (keys[slot] != 0 && row.timeNanos < times[slot]) {
        throw RowException.fatal(mapping.session() + " '" + session + "' goes back in time: "
            + mapping.arrival() + " " + format(row.timeNanos) + " is before "
            + format(times[slot]) + ", the arrival of its previous row (line " + lines[slot]
            + "); a session's rows must be its turns in arrival order");
      }
    }
    long[] ids = new long[PrefixIds.blocks(row.promptTokens)];
    int shared = prefixId == null ? 0 : PrefixIds.fullBlocks(prefixTokens);
    if (shared > 0) {
      long prefixKey = PrefixIds.key("prefix", prefixId);
      for (int b = 0; b < shared; b++) {
        ids[b] = PrefixIds.id(prefixKey, b);
      }
    }
    long restKey = session != null ? sessionKey : PrefixIds.id(ROW_KEY, rows);
    for (int b = shared; b < ids.length; b++) {
      ids[b] = PrefixIds.id(restKey, b);
    }
    rows++;
    row.prefixHashes = ids;
    if (session != null) {
      remember(slot, sessionKey, row.timeNanos, row.line);
    }
  }

  /** The slot holding {@code key}, or the free slot where it belongs. */
  private int slot(long key) {
    long k = key == 0 ? EMPTY_STAND_IN : key;
    int mask = keys.length - 1;
    int i = (int) (k ^ (k >>> 32)) & mask;
    while (keys[i] != 0 && keys[i] != k) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void remember(int slot, long key, long time, long line) {
    long k = key == 0 ? EMPTY_STAND_IN : key;
    boolean fresh = keys[slot] == 0;
    keys[slot] = k;
    times[slot] = time;
    lines[slot] = line;
    if (fresh && ++size * 2 > keys.length) {
      long[] oldKeys = keys;
      long[] oldTimes = times;
      long[] oldLines = lines;
      keys = new long[oldKeys.length * 2];
      times = new long[keys.length];
      lines = new long[keys.length];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != 0) {
          int j = slot(oldKeys[i]);
          keys[j] = oldKeys[i];
          times[j] = oldTimes[i];
          lines[j] = oldLines[i];
        }
      }
    }
  }

  /** A raw arrival in the arrival column's own unit, for messages. */
  private String format(long nanos) {
    ArrivalUnit unit = mapping.arrivalUnit();
    if (unit == ArrivalUnit.ISO) {
      return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
          Math.floorMod(nanos, 1_000_000_000L)).toString();
    }
    return new BigDecimal(nanos).divide(BigDecimal.valueOf(unit.nanos())).stripTrailingZeros()
        .toPlainString();
  }
}
