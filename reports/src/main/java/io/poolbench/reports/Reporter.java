package io.poolbench.reports;

import io.poolbench.reports.model.Report;
import java.nio.file.Path;

/** Renders a {@link Report} into an output directory and returns the main file it wrote. */
public interface Reporter {

  /** Writes the report under {@code outDir} (created if missing); returns the main file. */
  Path write(Report report, Path outDir);
}
