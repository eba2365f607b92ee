package io.poolbench.traces.format;

import io.poolbench.traces.format.generic.ColumnMapping;
import java.util.Objects;

/**
 * How to read a trace file.
 *
 * @param format the format, or null to detect it from the file's name and first line
 * @param onBadRow what to do with a malformed row
 * @param onUnordered what to do when timestamps go backwards
 * @param columns column (or JSON key) names for the generic {@code csv} and {@code jsonl} formats
 */
public record ReadOptions(
    TraceFormat format, OnBadRow onBadRow, OnUnordered onUnordered, ColumnMapping columns) {

  public ReadOptions {
    Objects.requireNonNull(onBadRow, "onBadRow");
    Objects.requireNonNull(onUnordered, "onUnordered");
    Objects.requireNonNull(columns, "columns");
  }

  /** Detect the format, fail on bad or unordered rows, poolbench's own column names. */
  public static ReadOptions defaults() {
    return new ReadOptions(null, OnBadRow.FAIL, OnUnordered.FAIL, ColumnMapping.poolbench());
  }

  public ReadOptions withFormat(TraceFormat newFormat) {
    return new ReadOptions(newFormat, onBadRow, onUnordered, columns);
  }

  public ReadOptions withOnBadRow(OnBadRow policy) {
    return new ReadOptions(format, policy, onUnordered, columns);
  }

  public ReadOptions withOnUnordered(OnUnordered policy) {
    return new ReadOptions(format, onBadRow, policy, columns);
  }

  public ReadOptions withColumns(ColumnMapping mapping) {
    return new ReadOptions(format, onBadRow, onUnordered, mapping);
  }
}
