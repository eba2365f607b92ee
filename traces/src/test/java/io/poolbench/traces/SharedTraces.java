package io.poolbench.traces;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared folder with the real Azure 2023 traces (see ../shared/traces/README.md). */
public final class SharedTraces {
  private SharedTraces() {}

  /** {@code <shared>/traces/<file>}: system property poolbench.shared.dir, else ../shared. */
  public static Path file(String name) {
    String dir = System.getProperty("poolbench.shared.dir");
    Path shared = dir != null ? Path.of(dir) : Path.of("..", "shared");
    if (!Files.isDirectory(shared)) {
      shared = Path.of("..", "..", "shared");
    }
    Path file = shared.resolve("traces").resolve(name);
    if (!Files.exists(file)) {
      throw new IllegalStateException("real trace not found: " + file.toAbsolutePath());
    }
    return file;
  }
}
