package io.poolbench.traces.synthetic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * An empirical token-length distribution given as evenly spaced quantiles (q = 0, 1/n, ..., 1),
 * sampled by inverse transform with linear interpolation between neighbouring quantiles.
 */
final class QuantileTable {

  private final int[] quantiles;

  QuantileTable(int[] quantiles) {
    if (quantiles.length < 2) {
      throw new IllegalArgumentException("a quantile table needs at least 2 points");
    }
    for (int i = 1; i < quantiles.length; i++) {
      if (quantiles[i] < quantiles[i - 1]) {
        throw new IllegalArgumentException("quantiles must not decrease (index " + i + ")");
      }
    }
    this.quantiles = quantiles.clone();
  }

  /** Draws one length. */
  int sample(SplittableRandom random) {
    return at(random.nextDouble());
  }

  /** The length at cumulative probability {@code u} in [0, 1), interpolated. */
  int at(double u) {
    double x = u * (quantiles.length - 1);
    int i = (int) x;
    double frac = x - i;
    return (int) Math.round(quantiles[i] + frac * (quantiles[i + 1] - quantiles[i]));
  }

  int min() {
    return quantiles[0];
  }

  int max() {
    return quantiles[quantiles.length - 1];
  }

  /** Reads the named columns of a quantile resource (comment lines start with '#'). */
  static Map<String, QuantileTable> load(String resource) {
    try (InputStream in = QuantileTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String[] header = null;
      List<int[]> rows = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split(",");
        if (header == null) {
          header = cells;
          continue;
        }
        int[] row = new int[cells.length - 1];
        for (int c = 1; c < cells.length; c++) {
          row[c - 1] = Integer.parseInt(cells[c]);
        }
        rows.add(row);
      }
      Map<String, QuantileTable> tables = new TreeMap<>();
      for (int c = 1; header != null && c < header.length; c++) {
        int column = c - 1;
        tables.put(header[c], new QuantileTable(rows.stream().mapToInt(r -> r[column]).toArray()));
      }
      return tables;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "QuantileTable" + Arrays.toString(new int[] {min(), max()});
  }
}
