package io.poolbench.reports;

import io.poolbench.reports.model.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Renders a {@link Report} into an output directory and returns the main file it wrote. */
public interface Reporter {

  /** Writes the report under {@code outDir} (created if missing); returns the main file. */
  Path write(Report report, Path outDir);

  /** Writes {@code text} as UTF-8 to {@code outDir/name}, creating the directory; returns the file. */
  static Path writeText(Path outDir, String name, String text) {
    Path file = outDir.resolve(name);
    try {
      Files.createDirectories(outDir);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
    return file;
  }
}
