package io.poolbench.traces.format.burstgpt;

import io.poolbench.traces.format.Ascii;
import io.poolbench.traces.format.CsvFields;
import io.poolbench.traces.format.Row;
import io.poolbench.traces.format.RowException;
import io.poolbench.traces.format.RowParser;
import java.util.List;

/**
 * Parses BurstGPT CSV rows ({@code Timestamp,Model,Request tokens,Response tokens,Total tokens,
 * Log Type}; v3 adds {@code Session ID} and {@code Elapsed time}), finding columns by header name.
 * A row with zero response tokens failed in the source: it is kept and flagged
 * {@link io.poolbench.traces.TraceRequest#failedInSource()}, never dropped.
 */
public final class BurstGptTraceReader implements RowParser {
  private final CsvFields fields = new CsvFields();
  private int timestamp;
  private int request;
  private int response;
  private int columns;

  @Override
  public boolean hasHeader() {
    return true;
  }

  @Override
  public void header(byte[] b, int start, int end) throws RowException {
    List<String> names = CsvFields.names(b, start, end);
    columns = names.size();
    timestamp = CsvFields.indexOf(names, "Timestamp");
    request = CsvFields.indexOf(names, "Request tokens");
    response = CsvFields.indexOf(names, "Response tokens");
    if (timestamp < 0 || request < 0 || response < 0) {
      throw new RowException("header '" + String.join(",", names) + "' is not a BurstGPT header:"
          + " expected Timestamp, Request tokens and Response tokens columns");
    }
  }

  @Override
  public void parse(byte[] b, int start, int end, Row row) throws RowException {
    int n = fields.split(b, start, end);
    if (n != columns) {
      throw new RowException("expected " + columns + " columns but found " + n + " in '"
          + Ascii.quote(b, start, end) + "'");
    }
    row.timeNanos = Ascii.parseDecimalNanos(b, fields.start(timestamp), fields.end(timestamp),
        1_000_000_000L);
    if (row.timeNanos < 0) {
      throw new RowException("Timestamp '" + Ascii.quote(b, fields.start(timestamp),
          fields.end(timestamp)) + "' is not a non-negative number of seconds");
    }
    row.promptTokens = count(b, request, "Request tokens");
    row.outputTokens = count(b, response, "Response tokens");
    row.failedInSource = row.outputTokens == 0;
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
