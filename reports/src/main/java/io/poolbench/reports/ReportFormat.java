package io.poolbench.reports;

import io.poolbench.reports.csv.CsvReporter;
import io.poolbench.reports.html.HtmlReporter;
import io.poolbench.reports.text.TextReporter;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The report formats, each with its reporter; {@link #named} maps CLI spellings to them. */
public enum ReportFormat {
  /** index.html with its assets, viewable offline. */
  HTML(HtmlReporter::new),
  /** summary.txt: the summary as an aligned console table. */
  TEXT(TextReporter::new),
  /** summary.csv: the summary as one row per figure, one column per run. */
  CSV(CsvReporter::new);

  private final Supplier<Reporter> factory;

  ReportFormat(Supplier<Reporter> factory) {
    this.factory = factory;
  }

  /** A new reporter of this format. */
  public Reporter reporter() {
    return factory.get();
  }

  /** The format called {@code name} (case-insensitive). */
  public static ReportFormat named(String name) {
    for (ReportFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.strip())) {
        return f;
      }
    }
    throw new IllegalArgumentException("Unknown report format '" + name + "'; expected one of "
        + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", ")));
  }
}
