package io.poolbench.traces.format.azure;

import io.poolbench.traces.format.Ascii;
import io.poolbench.traces.format.CsvFields;
import io.poolbench.traces.format.Row;
import io.poolbench.traces.format.RowException;
import io.poolbench.traces.format.RowParser;
import java.util.List;

/**
 * Parses Azure LLM inference CSV rows: {@code TIMESTAMP,ContextTokens,GeneratedTokens}, plus
 * {@code NumImages} in the 2025 multimodal traces. Columns are found by header name; timestamps
 * take any of the 2023 ({@code 2023-11-16 18:17:03.9799600}), 2024 ({@code +00:00}, 0 or 6
 * fraction digits) and 2025 ({@code Z}) spellings (see {@link Ascii#parseTimestampNanos}).
 */
public final class AzureTraceReader implements RowParser {
  private static final String EXPECTED_HEADER =
      "TIMESTAMP,ContextTokens,GeneratedTokens (optionally with NumImages)";

  private final CsvFields fields = new CsvFields();
  private int timestampColumn;
  private int contextColumn;
  private int generatedColumn;
  private int imagesColumn = -1;
  private int columns;

  @Override
  public boolean hasHeader() {
    return true;
  }

  @Override
  public void header(byte[] b, int start, int end) throws RowException {
    List<String> names = CsvFields.names(b, start, end);
    timestampColumn = CsvFields.indexOf(names, "TIMESTAMP");
    contextColumn = CsvFields.indexOf(names, "ContextTokens");
    generatedColumn = CsvFields.indexOf(names, "GeneratedTokens");
    imagesColumn = CsvFields.indexOf(names, "NumImages");
    columns = names.size();
    if (timestampColumn < 0 || contextColumn < 0 || generatedColumn < 0) {
      throw new RowException("header '" + String.join(",", names)
          + "' is not an Azure trace header: expected " + EXPECTED_HEADER);
    }
  }

  @Override
  public void parse(byte[] b, int start, int end, Row row) throws RowException {
    int n = fields.split(b, start, end);
    if (n != columns) {
      throw new RowException("expected " + columns + " columns but found " + n + " in '"
          + Ascii.quote(b, start, end) + "'");
    }
    int ts0 = fields.start(timestampColumn);
    int ts1 = fields.end(timestampColumn);
    row.timeNanos = Ascii.parseTimestampNanos(b, ts0, ts1);
    if (row.timeNanos == Ascii.NOT_A_TIMESTAMP) {
      throw new RowException("TIMESTAMP '" + Ascii.quote(b, ts0, ts1)
          + "' is not a timestamp like 2023-11-16 18:17:03.9799600 (optional T, fraction, "
          + "Z or +HH:MM)");
    }
    row.promptTokens = count(b, contextColumn, "ContextTokens");
    row.outputTokens = count(b, generatedColumn, "GeneratedTokens");
    if (imagesColumn >= 0) {
      row.images = count(b, imagesColumn, "NumImages");
    }
  }

  private int count(byte[] b, int column, String name) throws RowException {
    int value = Ascii.parseCount(b, fields.start(column), fields.end(column));
    if (value < 0) {
      throw new RowException(name + " '" + Ascii.quote(b, fields.start(column), fields.end(column))
          + "' is not a non-negative integer");
    }
    return value;
  }
}
