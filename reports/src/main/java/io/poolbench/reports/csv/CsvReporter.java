package io.poolbench.reports.csv;

import io.poolbench.reports.Reporter;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.SummaryTable;
import java.nio.file.Path;

/**
 * The summary table as CSV: a header {@code metric,group,label,unit,<run>...}, then one line per
 * figure with raw numbers (no grouping, empty when missing). Writes {@code summary.csv}.
 */
public final class CsvReporter implements Reporter {
  /** The file this reporter writes. */
  public static final String FILE = "summary.csv";

  @Override
  public Path write(Report report, Path outDir) {
    return Reporter.writeText(outDir, FILE, render(report.summaryTable()));
  }

  /** The table as CSV text, lines ending in {@code \r\n} as RFC 4180 has them. */
  public static String render(SummaryTable table) {
    StringBuilder sb = new StringBuilder("metric,group,label,unit");
    for (String c : table.columns()) {
      sb.append(',').append(quote(c));
    }
    sb.append("\r\n").append("mode,,Run mode,");
    for (String m : table.modes()) {
      sb.append(',').append(quote(m));
    }
    sb.append("\r\n");
    for (SummaryTable.Row row : table.rows()) {
      sb.append(row.key()).append(',').append(quote(row.group())).append(',')
          .append(quote(row.label())).append(',').append(quote(row.unit()));
      for (Double v : row.values()) {
        sb.append(',').append(row.kind().raw(v));
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  /**
   * RFC 4180 quoting; a leading {@code = + - @} is prefixed with an apostrophe so a spreadsheet
   * does not run a label as a formula.
   */
  static String quote(String s) {
    String v = s;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0 || !v.equals(s)) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
