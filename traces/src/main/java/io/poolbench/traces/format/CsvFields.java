package io.poolbench.traces.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits one CSV line into field offsets without copying; a field in double quotes may hold
 * commas ({@code ""} inside it stands for a quote). Reused across lines.
 */
public final class CsvFields {
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int count;

  /** Splits {@code b[start, end)}; returns the number of fields. */
  public int split(byte[] b, int start, int end) {
    count = 0;
    int i = start;
    while (true) {
      if (count == starts.length) {
        starts = java.util.Arrays.copyOf(starts, count * 2);
        ends = java.util.Arrays.copyOf(ends, count * 2);
      }
      if (i < end && b[i] == '"') {
        int j = i + 1;
        while (j < end && !(b[j] == '"' && (j + 1 == end || b[j + 1] != '"'))) {
          j += b[j] == '"' ? 2 : 1;
        }
        starts[count] = i + 1;
        ends[count] = Math.min(j, end);
        count++;
        i = j + 1;
        while (i < end && b[i] != ',') {
          i++;
        }
      } else {
        int j = i;
        while (j < end && b[j] != ',') {
          j++;
        }
        starts[count] = i;
        ends[count] = j;
        count++;
        i = j;
      }
      if (i >= end) {
        return count;
      }
      i++; // the comma
    }
  }

  public int count() {
    return count;
  }

  public int start(int field) {
    return starts[field];
  }

  public int end(int field) {
    return ends[field];
  }

  /** The header line's field names, trimmed, for matching columns by name. */
  public static List<String> names(byte[] b, int start, int end) {
    if (end - start >= 3 && b[start] == (byte) 0xEF && b[start + 1] == (byte) 0xBB
        && b[start + 2] == (byte) 0xBF) {
      start += 3; // a UTF-8 byte-order mark
    }
    CsvFields fields = new CsvFields();
    int n = fields.split(b, start, end);
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(Ascii.text(b, fields.start(i), fields.end(i)).trim());
    }
    return names;
  }

  /** Index of the column named {@code name} (case-insensitive), or -1. */
  public static int indexOf(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }
}
