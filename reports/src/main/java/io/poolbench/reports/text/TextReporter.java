package io.poolbench.reports.text;

import io.poolbench.reports.Reporter;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.SummaryTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary table as aligned plain text: figures in the first column, one right-aligned
 * column per run, group headings between sections. Writes {@code summary.txt}.
 */
public final class TextReporter implements Reporter {
  /** The file this reporter writes. */
  public static final String FILE = "summary.txt";

  @Override
  public Path write(Report report, Path outDir) {
    return Reporter.writeText(outDir, FILE, render(report));
  }

  /** The table, then the verdict lines: what the console prints after a comparison. */
  public static String render(Report report) {
    return render(report.summaryTable()) + verdict(report);
  }

  /** The verdict, one {@code verdict: ...} line per run mode. */
  public static String verdict(Report report) {
    StringBuilder sb = new StringBuilder();
    for (var l : report.verdict().lines()) {
      sb.append("verdict: ").append(clean(l.text())).append('\n');
    }
    return sb.toString();
  }

  /** The table as text, lines ending in {@code \n}. */
  public static String render(SummaryTable table) {
    int n = table.columns().size();
    List<String[]> lines = new ArrayList<>();
    String[] head = new String[n + 1];
    head[0] = "";
    String[] modes = new String[n + 1];
    modes[0] = "";
    for (int i = 0; i < n; i++) {
      head[i + 1] = clean(table.columns().get(i));
      modes[i + 1] = clean(table.modes().get(i));
    }
    lines.add(head);
    lines.add(modes);
    String group = null;
    for (SummaryTable.Row row : table.rows()) {
      if (!row.group().equals(group)) {
        group = row.group();
        lines.add(new String[] {group});
      }
      String[] cells = new String[n + 1];
      cells[0] = "  " + row.label() + (row.unit().isEmpty() ? "" : " (" + row.unit() + ")");
      for (int i = 0; i < n; i++) {
        cells[i + 1] = row.kind().format(row.values().get(i));
      }
      lines.add(cells);
    }
    int[] width = new int[n + 1];
    for (String[] l : lines) {
      if (l.length > 1) {
        for (int i = 0; i < l.length; i++) {
          width[i] = Math.max(width[i], l[i].length());
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      if (l.length == 1) {
        sb.append(l[0]).append('\n');
        continue;
      }
      sb.append(l[0]).append(" ".repeat(width[0] - l[0].length()));
      for (int i = 1; i < l.length; i++) {
        sb.append("  ").append(" ".repeat(width[i] - l[i].length())).append(l[i]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Control characters in labels would break the layout of a terminal. */
  private static String clean(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
