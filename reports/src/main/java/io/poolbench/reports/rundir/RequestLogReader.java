package io.poolbench.reports.rundir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads requests.csv.gz back as a lazy stream of rows (the caller closes it). */
public final class RequestLogReader {

  private RequestLogReader() {}

  /** The rows of {@code file}, lazily. */
  public static Stream<RequestRow> read(Path file) {
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(
          new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.US_ASCII));
      String header = in.readLine();
      int columns = RequestRow.columns(header);
      if (columns < 0) {
        in.close();
        throw new IllegalArgumentException(file + ": unexpected header '" + header + "'");
      }
      return in.lines().map(line -> parse(line, columns)).onClose(() -> {
        try {
          in.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
  }

  static RequestRow parse(String line, int columns) {
    String[] f = line.split(",", -1);
    if (f.length != columns) {
      throw new IllegalArgumentException("requests.csv.gz row has " + f.length
          + " fields, expected " + columns + ": " + line);
    }
    return new RequestRow(Long.parseLong(f[0]), dbl(f[1]), f[2], intOr(f[3]), f[4],
        Integer.parseInt(f[5]), Integer.parseInt(f[6]), intOr(f[7]), OutcomeKind.ofKey(f[8]),
        Integer.parseInt(f[9]), dbl(f[10]), dbl(f[11]), dbl(f[12]), Integer.parseInt(f[13]),
        Integer.parseInt(f[14]), columns > 15 ? intOr(f[15]) : -1);
  }

  private static double dbl(String s) {
    return s.isEmpty() ? -1 : Double.parseDouble(s);
  }

  private static int intOr(String s) {
    return s.isEmpty() ? -1 : Integer.parseInt(s);
  }
}
