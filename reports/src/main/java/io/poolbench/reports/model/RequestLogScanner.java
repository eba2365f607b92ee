package io.poolbench.reports.model;

import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RequestRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A lean reader of requests.csv.gz for reports: the same rows as
 * {@link io.poolbench.reports.rundir.RequestLogReader}, but fields are located with a single
 * scan and the millisecond and integer columns are parsed by hand (falling back to the JDK
 * parsers for anything unusual), which makes a cold read of 10^5 rows several times faster. The
 * header must be exactly {@link RequestRow#HEADER} (or the older one without
 * {@code cached_tokens}), so the format is still defined there.
 */
final class RequestLogScanner {
  private static final Map<String, OutcomeKind> OUTCOMES = new HashMap<>();

  static {
    for (OutcomeKind k : OutcomeKind.values()) {
      OUTCOMES.put(k.key(), k);
    }
  }

  private RequestLogScanner() {}

  /** Calls {@code sink} with every row of {@code file}, in file order. */
  static void scan(Path file, Consumer<RequestRow> sink) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.US_ASCII),
        1 << 16)) {
      String header = in.readLine();
      int fields = RequestRow.columns(header);
      if (fields < 0) {
        throw new IllegalArgumentException("unexpected header '" + header + "'");
      }
      int[] comma = new int[fields + 1];
      long lineNo = 1;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        sink.accept(parse(line, comma, lineNo, fields));
      }
    }
  }

  /** Parses a row of {@code comma.length - 1} fields ({@code comma} is scratch space). */
  static RequestRow parse(String line, int[] comma, long lineNo) {
    return parse(line, comma, lineNo, comma.length - 1);
  }

  static RequestRow parse(String line, int[] comma, long lineNo, int fields) {
    int n = 0;
    comma[n++] = -1;
    for (int i = line.indexOf(','); i >= 0 && n < fields; i = line.indexOf(',', i + 1)) {
      comma[n++] = i;
    }
    if (n != fields || line.indexOf(',', comma[fields - 1] + 1) >= 0) {
      throw new IllegalArgumentException("line " + lineNo + " does not have " + fields
          + " fields");
    }
    comma[fields] = line.length();
    try {
      String outcomeKey = field(line, comma, 8);
      OutcomeKind outcome = OUTCOMES.get(outcomeKey);
      if (outcome == null) {
        throw new IllegalArgumentException("unknown outcome '" + outcomeKey + "'");
      }
      return new RequestRow(integer(line, comma, 0), millis(line, comma, 1),
          field(line, comma, 2), (int) integer(line, comma, 3), field(line, comma, 4),
          (int) integer(line, comma, 5), (int) integer(line, comma, 6),
          (int) integer(line, comma, 7), outcome, (int) integer(line, comma, 9),
          millis(line, comma, 10), millis(line, comma, 11), millis(line, comma, 12),
          (int) integer(line, comma, 13), (int) integer(line, comma, 14),
          fields > 15 ? (int) integer(line, comma, 15) : -1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage(), e);
    }
  }

  private static int end(String line, int[] comma, int f) {
    return comma[f + 1];
  }

  private static String field(String line, int[] comma, int f) {
    return line.substring(comma[f] + 1, end(line, comma, f));
  }

  /** A non-negative integer field; empty means absent (-1). */
  private static long integer(String line, int[] comma, int f) {
    int from = comma[f] + 1;
    int to = end(line, comma, f);
    if (from == to) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9' || i - from > 17) {
        return Long.parseLong(line.substring(from, to));
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** A millisecond field such as {@code 137.103}; empty means absent (-1). */
  private static double millis(String line, int[] comma, int f) {
    int from = comma[f] + 1;
    int to = end(line, comma, f);
    if (from == to) {
      return -1;
    }
    long whole = 0;
    long frac = 0;
    long scale = 1;
    boolean dot = false;
    for (int i = from; i < to; i++) {
      char c = line.charAt(i);
      if (c == '.' && !dot) {
        dot = true;
      } else if (c >= '0' && c <= '9' && i - from < 16) {
        if (dot) {
          frac = frac * 10 + (c - '0');
          scale *= 10;
        } else {
          whole = whole * 10 + (c - '0');
        }
      } else {
        return Double.parseDouble(line.substring(from, to));
      }
    }
    return whole + (double) frac / scale;
  }
}
