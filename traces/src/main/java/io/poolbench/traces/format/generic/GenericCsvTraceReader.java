package io.poolbench.traces.format.generic;

import io.poolbench.traces.format.Ascii;
import io.poolbench.traces.format.CsvFields;
import io.poolbench.traces.format.Row;
import io.poolbench.traces.format.RowException;
import io.poolbench.traces.format.RowParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads any CSV with a header, taking each request field from the column a mapping names. A
 * {@code hash_ids} field holds a JSON list (quoted, as it holds commas: {@code "[46, 47]"});
 * {@code session_id}, {@code prefix_id} and {@code prefix_tokens} become prefix-block ids as
 * {@link PrefixColumns} derives them. An empty optional field counts as absent.
 */
public final class GenericCsvTraceReader implements RowParser {
  private final ColumnMapping mapping;
  private final CsvFields fields = new CsvFields();
  private final Map<String, String> categories = new HashMap<>();
  private final HashIdList hashIdList = new HashIdList();
  private final PrefixColumns prefixes;
  private int arrival;
  private int prompt;
  private int output;
  private int category = -1;
  private int maxTokens = -1;
  private int hashIds = -1;
  private int session = -1;
  private int prefixId = -1;
  private int prefixTokens = -1;
  private int columns;

  public GenericCsvTraceReader(ColumnMapping mapping) {
    this.mapping = mapping;
    this.prefixes = new PrefixColumns(mapping);
  }

  @Override
  public boolean hasHeader() {
    return true;
  }

  @Override
  public void header(byte[] b, int start, int end) throws RowException {
    List<String> names = CsvFields.names(b, start, end);
    columns = names.size();
    arrival = required(names, mapping.arrival(), "--arrival-column");
    prompt = required(names, mapping.prompt(), "--prompt-column");
    output = required(names, mapping.output(), "--output-column");
    category = optional(names, mapping.category());
    maxTokens = optional(names, mapping.maxTokens());
    hashIds = optional(names, mapping.hashIds());
    session = optional(names, mapping.session());
    prefixId = optional(names, mapping.prefixId());
    prefixTokens = optional(names, mapping.prefixTokens());
  }

  private static int optional(List<String> names, String column) {
    return column == null ? -1 : CsvFields.indexOf(names, column);
  }

  private static int required(List<String> names, String column, String flag)
      throws RowException {
    int index = CsvFields.indexOf(names, column);
    if (index < 0) {
      throw new RowException("no column '" + column + "' in header '" + String.join(",", names)
          + "'; name the right one with " + flag);
    }
    return index;
  }

  @Override
  public void parse(byte[] b, int start, int end, Row row) throws RowException {
    int n = fields.split(b, start, end);
    if (n != columns) {
      throw new RowException("expected " + columns + " columns but found " + n + " in '"
          + Ascii.quote(b, start, end) + "'");
    }
    row.timeNanos = Arrivals.parse(b, fields.start(arrival), fields.end(arrival),
        mapping.arrival(), mapping.arrivalUnit());
    row.promptTokens = count(b, prompt, mapping.prompt());
    row.outputTokens = count(b, output, mapping.output());
    if (maxTokens >= 0 && fields.end(maxTokens) > fields.start(maxTokens)) {
      row.maxTokens = count(b, maxTokens, mapping.maxTokens());
    }
    if (category >= 0 && fields.end(category) > fields.start(category)) {
      String text = Ascii.text(b, fields.start(category), fields.end(category));
      // share the few distinct category strings instead of keeping one copy per row
      row.category = text.isEmpty() ? null
          : categories.size() < 1024 ? categories.computeIfAbsent(text, t -> t) : text;
    }
    if (present(b, hashIds)) {
      row.prefixHashes = hashIdList.read(b, fields.start(hashIds), fields.end(hashIds),
          mapping.hashIds());
    }
    if (session >= 0 || prefixId >= 0 || prefixTokens >= 0) {
      prefixes.apply(row, text(b, session), text(b, prefixId),
          present(b, prefixTokens) ? count(b, prefixTokens, mapping.prefixTokens()) : -1);
    }
  }

  /** True when the optional column exists and this row's field is not blank. */
  private boolean present(byte[] b, int column) {
    if (column < 0) {
      return false;
    }
    for (int i = fields.start(column); i < fields.end(column); i++) {
      if (b[i] != ' ') {
        return true;
      }
    }
    return false;
  }

  /** An optional text field, or null when the column is missing or the field empty. */
  private String text(byte[] b, int column) {
    if (!present(b, column)) {
      return null;
    }
    String text = Ascii.text(b, fields.start(column), fields.end(column));
    return text.isEmpty() ? null : text;
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
