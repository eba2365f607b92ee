package io.poolbench.traces.format;

/** Parses the lines of one trace format into {@link Row}s; one instance per opened file. */
public interface RowParser {

  /** True when the first non-blank line is a header that {@link #header} consumes. */
  boolean hasHeader();

  /**
   * Reads the header line.
   *
   * @throws RowException when the header does not fit the format
   */
  void header(byte[] b, int start, int end) throws RowException;

  /**
   * Parses one non-blank data line into {@code row} (already reset).
   *
   * @throws RowException naming the bad field and the expected form
   */
  void parse(byte[] b, int start, int end, Row row) throws RowException;
}
